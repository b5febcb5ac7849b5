using Occam.Data.Tables;

namespace Occam.Data;

/// <summary>
/// Loads a delimited text file with a header row into a <see cref="Dataset"/>, learning its
/// <see cref="TableSchema"/> (see <see cref="TableSchema.Fit"/> for the rules): feature columns with text
/// cells are one-hot encoded, class labels may be text, and the dataset carries the schema so the same
/// encoding applies to later files.
/// </summary>
public static class CsvLoader
{
    /// <summary>Loads the file with the default table options (auto categorical columns, missing values refused).</summary>
    /// <param name="path">The delimited text file.</param>
    /// <param name="target">The target column: a header name, or else a 0-based column index such as "3".</param>
    /// <param name="task">Regression or classification; null infers it.</param>
    /// <param name="name">Dataset name; defaults to the file name without extension.</param>
    /// <returns>A dataset the caller owns, with its <see cref="Dataset.Table"/>.</returns>
    /// <exception cref="DataFormatException">The file is missing, empty or malformed; the message names file, line and column.</exception>
    public static Dataset Load(string path, string target, TaskKind? task = null, string? name = null) =>
        Load(path, new TableOptions { Target = target, Task = task }, name);

    /// <summary>Loads the file with the given table options.</summary>
    public static Dataset Load(string path, TableOptions options, string? name = null) => TableSchema.Fit(path, options, name).Data;
}
