namespace Occam.Data;

/// <summary>Reads and checks the row indices of one UCI benchmark split (a train file and a test file).</summary>
internal static class UciSplitFiles
{
    /// <summary>
    /// Reads both files; every index must lie in 0..rowCount-1 and appear at most once across the two
    /// files. Errors name the file and line.
    /// </summary>
    public static (long[] Train, long[] Test) Read(string trainPath, string testPath, int rowCount)
    {
        // seenAt[r] remembers where row r was first listed: (file, line), so overlaps can point at both.
        var seenAt = new (string File, int Line)?[rowCount];
        var train = ReadOne(trainPath, rowCount, seenAt);
        var test = ReadOne(testPath, rowCount, seenAt);
        if (train.Length == 0) throw new DataFormatException(trainPath, null, null, "the file holds no row indices");
        if (test.Length == 0) throw new DataFormatException(testPath, null, null, "the file holds no row indices");
        return (train, test);
    }

    private static long[] ReadOne(string path, int rowCount, (string File, int Line)?[] seenAt)
    {
        var entries = WhitespaceNumberFile.ReadIntegers(path);
        var rows = new long[entries.Count];
        for (var k = 0; k < entries.Count; k++)
        {
            var (value, line) = entries[k];
            if (value < 0 || value >= rowCount)
                throw new DataFormatException(path, line, null, $"row index {value} is outside 0..{rowCount - 1} (data.txt has {rowCount} rows)");
            if (seenAt[value] is { } first)
                throw new DataFormatException(path, line, null,
                    $"row index {value} is already listed in {Path.GetFileName(first.File)} at line {first.Line}; a row may appear once per split");
            seenAt[value] = (path, line);
            rows[k] = value;
        }
        return rows;
    }
}
