using System.Text;

namespace Occam.Data;

/// <summary>
/// Splits one line of delimited text into cells. Minimal quoting: a cell that begins with a double
/// quote runs to the matching closing quote (a doubled quote inside stands for one quote), so a quoted
/// cell may hold the separator; quotes never span lines. Unquoted cells are taken as they are.
/// </summary>
internal static class CsvSplitter
{
    /// <summary>Picks the separator from the header: ',' if present, else ';', else tab, else ','.</summary>
    public static char DetectSeparator(string header)
    {
        if (header.Contains(',')) return ',';
        if (header.Contains(';')) return ';';
        if (header.Contains('\t')) return '\t';
        return ',';
    }

    /// <summary>Clears <paramref name="cells"/> and fills it with the cells of <paramref name="line"/>.</summary>
    public static void Split(string line, char separator, List<string> cells)
    {
        cells.Clear();
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                cells.Add(ReadQuoted(line, separator, ref i));
            }
            else
            {
                i = start;
                var end = line.IndexOf(separator, i);
                if (end < 0) end = line.Length;
                cells.Add(line[i..end]);
                i = end;
            }
            if (i >= line.Length) return;
            i++; // step over the separator
        }
    }

    private static string ReadQuoted(string line, char separator, ref int i)
    {
        var text = new StringBuilder();
        i++; // opening quote
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '"')
            {
                if (i + 1 < line.Length && line[i + 1] == '"') { text.Append('"'); i += 2; continue; }
                i++; // closing quote
                break;
            }
            text.Append(c);
            i++;
        }
        // Anything between the closing quote and the next separator is ignored (usually spaces).
        var next = line.IndexOf(separator, i);
        i = next < 0 ? line.Length : next;
        return text.ToString();
    }
}
