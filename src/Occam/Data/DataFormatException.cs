namespace Occam.Data;

/// <summary>
/// A data file does not have the expected form. Carries the file, and where known the 1-based line
/// and column, so the message can point at the offending cell.
/// </summary>
public sealed class DataFormatException : OccamException
{
    /// <summary>Creates the exception; the message is prefixed with "file:line:column: ".</summary>
    /// <param name="file">Path of the data file.</param>
    /// <param name="line">1-based line, or null when the problem concerns the whole file.</param>
    /// <param name="column">1-based column, or null.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    public DataFormatException(string file, int? line, int? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Path of the data file.</summary>
    public string File { get; }

    /// <summary>1-based line, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column, when known.</summary>
    public int? Column { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Problem { get; }

    private static string Format(string file, int? line, int? column, string problem)
    {
        var where = file;
        if (line is not null) where += $":{line}";
        if (column is not null) where += $":{column}";
        return $"{where}: {problem}";
    }
}
