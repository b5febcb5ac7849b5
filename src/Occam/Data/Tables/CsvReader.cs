namespace Occam.Data.Tables;

/// <summary>
/// Reads a delimited text file with a header row, one row at a time (bounded memory), keeping each row's
/// 1-based line number so errors can point at it. The separator is taken from the header: ',' if present,
/// else ';', else a tab, else ','. Header names are trimmed and must be unique; blank lines are skipped;
/// every row must have as many cells as the header. A file with NUL bytes is refused as not text.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private readonly StreamReader _reader;
    private readonly char _separator;
    private readonly List<string> _cells = [];
    private int _line;

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="DataFormatException">Missing, a folder, not text, empty, or a bad header; the message names the file.</exception>
    public CsvReader(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new DataFormatException(path, null, null, "is a folder; expected a CSV file");
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
        Path = path;
        _reader = new StreamReader(path);
        try
        {
            var header = NextLine() ?? throw new DataFormatException(path, null, null, "the file is empty; expected a header row followed by data rows");
            HeaderLine = _line;
            _separator = CsvSplitter.DetectSeparator(header);
            CsvSplitter.Split(header, _separator, _cells);
            Header = _cells.Select(c => c.Trim()).ToArray();
            for (int j = 0; j < Header.Count; j++)
            {
                if (Header[j].Length == 0) throw new DataFormatException(path, HeaderLine, j + 1, "a column has no name; every header cell needs one");
                int first = Array.IndexOf(Header.ToArray(), Header[j]);
                if (first < j) throw new DataFormatException(path, HeaderLine, j + 1, $"column name \"{Header[j]}\" appears twice (columns {first + 1} and {j + 1}); names must be unique");
            }
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Line number of the header.</summary>
    public int HeaderLine { get; }

    /// <summary>The next data row (cells as written, untrimmed) and its line number, or null at the end.</summary>
    /// <exception cref="DataFormatException">A row with another number of cells than the header, naming line and column.</exception>
    public (string[] Cells, int Line)? Next()
    {
        var text = NextLine();
        if (text is null) return null;
        CsvSplitter.Split(text, _separator, _cells);
        if (_cells.Count != Header.Count)
        {
            int column = _cells.Count < Header.Count ? _cells.Count + 1 : Header.Count + 1;
            throw new DataFormatException(Path, _line, column, $"expected {Header.Count} cells as in the header, found {_cells.Count}");
        }
        return (_cells.ToArray(), _line);
    }

    /// <summary>Up to <paramref name="count"/> further rows (an empty list at the end).</summary>
    public List<(string[] Cells, int Line)> Next(int count)
    {
        var rows = new List<(string[], int)>();
        while (rows.Count < count && Next() is { } row) rows.Add(row);
        return rows;
    }

    private string? NextLine()
    {
        string? line;
        while ((line = _reader.ReadLine()) is not null)
        {
            _line++;
            if (line.Contains('\0')) throw new DataFormatException(Path, _line, null, "the file holds binary data, not delimited text");
            if (!string.IsNullOrWhiteSpace(line)) return line;
        }
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
