namespace Occam.Data.Tables;

/// <summary>What to do with rows that have a missing cell (empty, NA, NaN, null or ?) in a used column.</summary>
public enum MissingValues
{
    /// <summary>Refuse the file, counting the rows and naming the first (default).</summary>
    Error,

    /// <summary>Leave such rows out (fit, eval) or skip them in the output (predict).</summary>
    DropRows,
}

/// <summary>How a CSV table becomes a dataset: which column is the target, which columns are features and how they are encoded.</summary>
public sealed record TableOptions
{
    /// <summary>The target column: a header name, or else a 0-based index.</summary>
    public required string Target { get; init; }

    /// <summary>Regression or classification (null: classification for text labels or at most 20 distinct integers, else regression).</summary>
    public TaskKind? Task { get; init; }

    /// <summary>
    /// Which feature columns are categorical and one-hot encoded: null ("auto") takes every column that holds a
    /// non-numeric cell; an empty list takes none (non-numeric cells are then an error); otherwise the named columns.
    /// </summary>
    public IReadOnlyList<string>? Categorical { get; init; }

    /// <summary>Columns to leave out.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];

    /// <summary>The feature columns to use, in this order (null: every column but the target and the dropped ones).</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Rows with missing values: refuse (default) or drop.</summary>
    public MissingValues Missing { get; init; } = MissingValues.Error;
}
