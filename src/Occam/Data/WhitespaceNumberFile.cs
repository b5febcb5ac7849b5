using System.Globalization;

namespace Occam.Data;

/// <summary>
/// Reads text files of numbers separated by any whitespace, skipping blank lines (which still count
/// for line numbers). Errors are <see cref="DataFormatException"/>s whose column is the 1-based
/// number of the value on its line.
/// </summary>
internal static class WhitespaceNumberFile
{
    /// <summary>A rectangular table of numbers, row-major, as float32.</summary>
    public sealed record Table(float[] Values, int Rows, int Columns);

    /// <summary>An integer and the 1-based line it was read from.</summary>
    public readonly record struct Entry(int Value, int Line);

    /// <summary>Reads a table where every non-blank line holds the same number of finite numbers.</summary>
    public static Table ReadTable(string path)
    {
        var values = new List<float>();
        var columns = -1;
        var firstLine = 0;
        var rows = 0;
        var fields = new List<(int Start, int Length)>();
        var lineNumber = 0;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            Tokenize(line, fields);
            if (fields.Count == 0) continue;
            if (columns < 0) { columns = fields.Count; firstLine = lineNumber; }
            else if (fields.Count != columns)
            {
                var column = Math.Min(fields.Count, columns) + 1;
                throw new DataFormatException(path, lineNumber, column,
                    $"expected {columns} numbers as on line {firstLine}, found {fields.Count}");
            }
            for (var k = 0; k < fields.Count; k++)
            {
                var text = line.AsSpan(fields[k].Start, fields[k].Length);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new DataFormatException(path, lineNumber, k + 1, $"cannot read \"{text}\" as a number");
                if (!double.IsFinite(value) || !float.IsFinite((float)value))
                    throw new DataFormatException(path, lineNumber, k + 1, $"\"{text}\" is NaN, infinite or outside the float32 range; NaN/Inf not allowed");
                values.Add((float)value);
            }
            rows++;
        }
        if (rows == 0) throw new DataFormatException(path, null, null, "the file holds no numbers; expected one row of numbers per line");
        return new Table(values.ToArray(), rows, columns);
    }

    /// <summary>Reads whitespace-separated integers, keeping the line of each.</summary>
    public static List<Entry> ReadIntegers(string path)
    {
        var entries = new List<Entry>();
        var fields = new List<(int Start, int Length)>();
        var lineNumber = 0;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            Tokenize(line, fields);
            for (var k = 0; k < fields.Count; k++)
            {
                var text = line.AsSpan(fields[k].Start, fields[k].Length);
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                    throw new DataFormatException(path, lineNumber, k + 1, $"cannot read \"{text}\" as an integer");
                entries.Add(new Entry(value, lineNumber));
            }
        }
        return entries;
    }

    /// <summary>Reads a file that holds exactly one integer of at least <paramref name="minimum"/>.</summary>
    public static int ReadSingleInteger(string path, int minimum)
    {
        var entries = ReadIntegers(path);
        if (entries.Count != 1)
            throw new DataFormatException(path, entries.Count > 1 ? entries[1].Line : null, null,
                $"expected exactly one integer, found {entries.Count}");
        if (entries[0].Value < minimum)
            throw new DataFormatException(path, entries[0].Line, 1, $"expected an integer of at least {minimum}, found {entries[0].Value}");
        return entries[0].Value;
    }

    /// <summary>Reads every number in the file, in order (any layout).</summary>
    public static double[] ReadNumbers(string path)
    {
        var numbers = new List<double>();
        var fields = new List<(int Start, int Length)>();
        var lineNumber = 0;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            Tokenize(line, fields);
            for (var k = 0; k < fields.Count; k++)
            {
                var text = line.AsSpan(fields[k].Start, fields[k].Length);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new DataFormatException(path, lineNumber, k + 1, $"cannot read \"{text}\" as a finite number");
                numbers.Add(value);
            }
        }
        return numbers.ToArray();
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
        return File.ReadLines(path);
    }

    private static void Tokenize(string line, List<(int Start, int Length)> fields)
    {
        fields.Clear();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i == line.Length) break;
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            fields.Add((start, i - start));
        }
    }
}
