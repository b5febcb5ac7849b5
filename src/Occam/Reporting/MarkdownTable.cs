using System.Text;

namespace Occam.Reporting;

/// <summary>
/// A GitHub-flavoured Markdown table built from strings. Columns are padded to a common width so the
/// raw text reads as a table too; <c>|</c> inside a cell is escaped and line breaks become spaces.
/// </summary>
/// <example>
/// <code>
/// var table = new MarkdownTable(["dataset", "test LL"], rightAligned: [false, true]);
/// table.AddRow("boston", Format.MeanSe(-2.41, 0.25, 2));
/// File.WriteAllText("results.md", table.ToString());
/// </code>
/// </example>
public sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates an empty table with the given column headers.</summary>
    /// <param name="headers">One header per column; at least one.</param>
    /// <param name="rightAligned">Per column, whether it is right-aligned (numbers); null leaves every column left-aligned.</param>
    /// <exception cref="ArgumentException">No headers, or <paramref name="rightAligned"/> has a different length.</exception>
    public MarkdownTable(IReadOnlyList<string> headers, IReadOnlyList<bool>? rightAligned = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Count == 0)
            throw new ArgumentException("Expected at least one column header.", nameof(headers));
        if (rightAligned is not null && rightAligned.Count != headers.Count)
            throw new ArgumentException(
                $"Expected one alignment flag per column ({headers.Count}), got {rightAligned.Count}.", nameof(rightAligned));
        _headers = headers.Select(h => Clean(h ?? throw new ArgumentException("Headers must not be null.", nameof(headers)))).ToArray();
        _rightAligned = rightAligned?.ToArray() ?? new bool[headers.Count];
    }

    /// <summary>Creates a table and adds <paramref name="rows"/> to it.</summary>
    /// <param name="headers">One header per column; at least one.</param>
    /// <param name="rows">Rows, each with one cell per column.</param>
    /// <param name="rightAligned">Per column, whether it is right-aligned; null leaves every column left-aligned.</param>
    public MarkdownTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<bool>? rightAligned = null)
        : this(headers, rightAligned)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows) AddRow(row);
    }

    /// <summary>Number of columns.</summary>
    public int ColumnCount => _headers.Length;

    /// <summary>Number of rows added so far (the header row not counted).</summary>
    public int RowCount => _rows.Count;

    /// <summary>Appends a row.</summary>
    /// <param name="cells">One cell per column; null cells print as empty.</param>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="ArgumentException">The row has a different number of cells than the table has columns.</exception>
    public MarkdownTable AddRow(params IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != _headers.Length)
            throw new ArgumentException(
                $"Expected {_headers.Length} cells (one per column), got {cells.Count} in row {_rows.Count + 1}.", nameof(cells));
        _rows.Add(cells.Select(c => Clean(c ?? "")).ToArray());
        return this;
    }

    /// <summary>Renders the table: header row, alignment row, then the rows; every line ends with "\n".</summary>
    /// <returns>The Markdown text.</returns>
    public override string ToString()
    {
        var widths = new int[_headers.Length];
        for (var c = 0; c < widths.Length; c++)
            widths[c] = Math.Max(3, _rows.Select(r => r[c].Length).Append(_headers[c].Length).Max());

        var text = new StringBuilder();
        AppendLine(text, _headers, widths);
        text.Append('|');
        for (var c = 0; c < widths.Length; c++)
            text.Append(_rightAligned[c] ? " " + new string('-', widths[c] - 1) + ": |" : " " + new string('-', widths[c]) + " |");
        text.Append('\n');
        foreach (var row in _rows) AppendLine(text, row, widths);
        return text.ToString();
    }

    private void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var c = 0; c < cells.Length; c++)
            text.Append(' ').Append(_rightAligned[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c])).Append(" |");
        text.Append('\n');
    }

    private static string Clean(string cell) =>
        cell.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Replace("|", "\\|").Trim();
}
