namespace Occam.Data.Tables;

/// <summary>How one feature column of a table becomes model inputs.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Categories">Null for a numeric column (one input); for a categorical column its categories, sorted, one input each (one-hot).</param>
public sealed record ColumnSchema(string Name, IReadOnlyList<string>? Categories = null)
{
    /// <summary>Whether the column is one-hot encoded.</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>The names of the inputs it becomes: the column name, or "name=category" per category.</summary>
    public IEnumerable<string> InputNames => Categories is null ? [Name] : Categories.Select(c => $"{Name}={c}");
}
