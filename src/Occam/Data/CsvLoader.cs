using System.Globalization;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Loads a numeric table from a delimited text file with a header row into a <see cref="Dataset"/>.
/// </summary>
/// <remarks>
/// <para>Separator: ',' when the header line contains a comma; otherwise ';' when it contains a
/// semicolon; otherwise a tab when it contains a tab; otherwise ',' (a one-column file).</para>
/// <para>Cells may be wrapped in double quotes (a doubled quote inside stands for one quote; quoted
/// cells never span lines). Header names are trimmed. Blank lines are skipped but still counted, so
/// reported line numbers match an editor's.</para>
/// <para>Every column other than the target is a feature and must hold numbers, read with the
/// invariant culture ("1.5", "-2e-3"); NaN and infinities are rejected. Features become float32 [N, D].</para>
/// <para>Errors are <see cref="DataFormatException"/>s whose column is the 1-based cell number in the row.</para>
/// </remarks>
public static class CsvLoader
{
    /// <summary>The most distinct values an integer target may have to be inferred as class labels.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>Loads the file; see <see cref="LoadWithClassLabels"/> for the rules.</summary>
    /// <param name="path">The delimited text file.</param>
    /// <param name="target">The target column: a header name, or else a 0-based column index such as "3".</param>
    /// <param name="task">Regression or classification; null infers it (see <see cref="LoadWithClassLabels"/>).</param>
    /// <param name="name">Dataset name; defaults to the file name without extension.</param>
    /// <returns>A dataset the caller owns.</returns>
    public static Dataset Load(string path, string target, TaskKind? task = null, string? name = null) =>
        LoadWithClassLabels(path, target, task, name).Dataset;

    /// <summary>
    /// Loads the file and also returns, for classification, the target value behind each class index.
    /// </summary>
    /// <param name="path">The delimited text file.</param>
    /// <param name="target">The target column: a header name (matched exactly), or else a 0-based column index such as "3".</param>
    /// <param name="task">
    /// Regression (targets float32 [N, 1]) or classification (targets int64 [N]). When null: classification
    /// if every target value is an integer and there are between 2 and <see cref="MaxInferredClasses"/>
    /// distinct values, otherwise regression. For classification the distinct target values, sorted
    /// ascending, become class indices 0..C-1 and the dataset's class count is C.
    /// </param>
    /// <param name="name">Dataset name; defaults to the file name without extension.</param>
    /// <returns>The dataset (owned by the caller) and the class labels.</returns>
    /// <exception cref="DataFormatException">The file is missing, empty or malformed.</exception>
    public static CsvLoadResult LoadWithClassLabels(string path, string target, TaskKind? task = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");

        using var reader = new StreamReader(path);
        var lineNumber = 0;
        var line = NextNonBlank(reader, ref lineNumber)
                   ?? throw new DataFormatException(path, null, null, "the file is empty; expected a header row followed by data rows");
        var headerLine = lineNumber;
        var separator = CsvSplitter.DetectSeparator(line);
        var header = new List<string>();
        CsvSplitter.Split(line, separator, header);
        for (var j = 0; j < header.Count; j++) header[j] = header[j].Trim();
        CheckUniqueNames(path, headerLine, header);
        var targetIndex = FindTarget(path, headerLine, header, target);
        if (header.Count < 2)
            throw new DataFormatException(path, headerLine, null, "the header has only the target column; expected at least one feature column");

        var width = header.Count;
        var features = new List<float>();
        var targets = new List<double>();
        var cells = new List<string>();
        while ((line = NextNonBlank(reader, ref lineNumber)) is not null)
        {
            CsvSplitter.Split(line, separator, cells);
            if (cells.Count != width)
            {
                var column = cells.Count < width ? cells.Count + 1 : width + 1;
                throw new DataFormatException(path, lineNumber, column, $"expected {width} cells as in the header, found {cells.Count}");
            }
            for (var j = 0; j < width; j++)
            {
                var value = ParseCell(path, lineNumber, j, header[j], cells[j]);
                if (j == targetIndex) targets.Add(value);
                else features.Add((float)value);
            }
        }
        if (targets.Count == 0)
            throw new DataFormatException(path, null, null, $"the file has a header (line {headerLine}) but no data rows");

        var featureNames = header.Where((_, j) => j != targetIndex).ToArray();
        return Build(path, features.ToArray(), targets, featureNames, header[targetIndex], task,
            name ?? Path.GetFileNameWithoutExtension(path));
    }

    private static CsvLoadResult Build(string path, float[] features, List<double> targets, string[] featureNames,
        string targetName, TaskKind? task, string name)
    {
        var rows = targets.Count;
        var labels = targets.Distinct().Order().ToArray();
        var kind = task ?? InferTask(targets, labels.Length);
        using var scope = NewDisposeScope();
        var inputs = tensor(features, new long[] { rows, featureNames.Length });
        if (kind == TaskKind.Regression)
        {
            var y = tensor(targets.Select(v => (float)v).ToArray(), new long[] { rows, 1 });
            return new CsvLoadResult(new Dataset(inputs, y, kind, 0, name, featureNames, targetName), Array.Empty<double>());
        }
        if (labels.Length < 2)
            throw new DataFormatException(path, null, null,
                $"target column \"{targetName}\" has a single distinct value ({labels[0].ToString(CultureInfo.InvariantCulture)}); classification needs at least two classes");
        var indices = new long[rows];
        for (var i = 0; i < rows; i++) indices[i] = Array.BinarySearch(labels, targets[i]);
        var classes = tensor(indices, new long[] { rows });
        return new CsvLoadResult(new Dataset(inputs, classes, kind, labels.Length, name, featureNames, targetName), labels);
    }

    private static TaskKind InferTask(List<double> targets, int distinctCount)
    {
        var classLike = distinctCount >= 2 && distinctCount <= MaxInferredClasses && targets.All(v => v == Math.Floor(v));
        return classLike ? TaskKind.Classification : TaskKind.Regression;
    }

    private static double ParseCell(string path, int line, int j, string columnName, string cell)
    {
        var text = cell.Trim();
        if (text.Length == 0)
            throw new DataFormatException(path, line, j + 1, $"column \"{columnName}\": the cell is empty; expected a number");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(path, line, j + 1, $"column \"{columnName}\": cannot read \"{text}\" as a number");
        if (!double.IsFinite(value))
            throw new DataFormatException(path, line, j + 1, $"column \"{columnName}\": \"{text}\" is NaN or infinite; NaN/Inf not allowed");
        if (!float.IsFinite((float)value))
            throw new DataFormatException(path, line, j + 1, $"column \"{columnName}\": \"{text}\" is outside the float32 range");
        return value;
    }

    private static void CheckUniqueNames(string path, int line, List<string> header)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < header.Count; j++)
        {
            if (seen.TryGetValue(header[j], out var first))
                throw new DataFormatException(path, line, j + 1,
                    $"column name \"{header[j]}\" appears twice (columns {first + 1} and {j + 1}); column names must be unique");
            seen[header[j]] = j;
        }
    }

    private static int FindTarget(string path, int line, List<string> header, string target)
    {
        var byName = header.IndexOf(target);
        if (byName >= 0) return byName;
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index < header.Count) return index;
            throw new DataFormatException(path, line, null,
                $"target column index {index} is outside 0..{header.Count - 1}; available columns: {string.Join(", ", header)}");
        }
        throw new DataFormatException(path, line, null,
            $"target column \"{target}\" not found; available columns: {string.Join(", ", header)}");
    }

    private static string? NextNonBlank(StreamReader reader, ref int lineNumber)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line)) return line;
        }
        return null;
    }
}
