using System.Globalization;
using static TorchSharp.torch;

namespace Occam.Data.Tables;

/// <summary>
/// What Occam learned from a training table and applies unchanged to every later file (evaluation,
/// prediction): the feature columns in order and how each is encoded (numeric, or one-hot over the
/// training categories), the target column, the task, the class labels as written, and the
/// missing-value policy. Later files are matched by column name, in any order.
/// </summary>
/// <param name="Columns">The feature columns, in input order.</param>
/// <param name="Target">The target column's name.</param>
/// <param name="Task">Regression or classification.</param>
/// <param name="ClassLabels">Classification: the label behind each class index (numbers in shortest form, sorted numerically; else text, sorted ordinally).</param>
/// <param name="Missing">The missing-value policy.</param>
public sealed record TableSchema(IReadOnlyList<ColumnSchema> Columns, string Target, TaskKind Task, IReadOnlyList<string> ClassLabels, MissingValues Missing)
{
    /// <summary>The most distinct integer values a numeric target may have to be inferred as class labels.</summary>
    public const int MaxInferredClasses = 20;

    /// <summary>The model's input names after encoding ("age", "origin=Europe", ...).</summary>
    public IReadOnlyList<string> InputNames => Columns.SelectMany(c => c.InputNames).ToList();

    /// <summary>
    /// Learns the schema from a training file and encodes it; the caller owns the dataset. Rules: the
    /// target is a header name (or a 0-based index); features are every other column (or the chosen ones)
    /// minus the dropped ones; with automatic categorical columns, a feature column whose cells are all
    /// text is one-hot encoded over its sorted categories, and any other column must hold finite numbers;
    /// the task, when not given, is classification for text labels or for 2 to
    /// <see cref="MaxInferredClasses"/> distinct integers, else regression.
    /// </summary>
    /// <exception cref="DataFormatException">A malformed file, a missing column, an unreadable cell or missing values under the error policy; the message names file, line and column.</exception>
    public static (TableSchema Schema, Dataset Data) Fit(string path, TableOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var reader = new CsvReader(path);
        var rows = new List<(string[] Cells, int Line)>();
        while (reader.Next() is { } row) rows.Add(row);
        if (rows.Count == 0) throw new DataFormatException(path, null, null, $"the file has a header (line {reader.HeaderLine}) but no data rows");
        var header = reader.Header;
        int target = TargetIndex(path, reader.HeaderLine, header, options.Target);
        var features = FeatureIndices(path, reader.HeaderLine, header, target, options);
        var used = features.Append(target).ToArray();
        rows = TableEncoder.ApplyMissing(path, header, rows, used, options.Missing);
        if (rows.Count == 0) throw new DataFormatException(path, null, null, "every row has a missing value; no data rows remain");
        var categorical = CategoricalColumns(path, header, features, options.Categorical, rows);
        var columns = features.Select(j => new ColumnSchema(header[j], categorical.Contains(j)
            ? rows.Select(r => r.Cells[j].Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : null)).ToArray();
        var (task, labels) = TargetKind(path, header[target], target + 1, rows.Select(r => (r.Cells[target], r.Line)).ToList(), options.Task);
        var schema = new TableSchema(columns, header[target], task, labels, options.Missing);
        return (schema, new TableEncoder(schema, path, reader.HeaderLine, header).Encode(rows, requireTarget: true, name ?? System.IO.Path.GetFileNameWithoutExtension(path)));
    }

    /// <summary>Encodes another file with this schema (columns matched by name); the caller owns the dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="requireTarget">Whether the target column must be present (evaluation) or may be absent (prediction: targets are then zeros).</param>
    /// <param name="name">Dataset name (default: the file name).</param>
    /// <exception cref="DataFormatException">A missing column, an unseen category or class label, an unreadable cell or missing values; the message names file, line and column.</exception>
    public Dataset Encode(string path, bool requireTarget = true, string? name = null)
    {
        using var reader = new CsvReader(path);
        var encoder = new TableEncoder(this, path, reader.HeaderLine, reader.Header);
        var rows = new List<(string[] Cells, int Line)>();
        while (reader.Next() is { } row) rows.Add(row);
        if (rows.Count == 0) throw new DataFormatException(path, null, null, "the file has a header but no data rows");
        return encoder.Encode(rows, requireTarget, name ?? System.IO.Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>
    /// Reads a file with this schema in chunks of at most <paramref name="rows"/> rows (bounded memory) for
    /// prediction: per chunk the encoded inputs float32 [n, D] (owned by the caller) and each row's line.
    /// The target column is not needed; rows with missing values follow the schema's policy.
    /// </summary>
    public IEnumerable<(Tensor Inputs, int[] Lines)> Stream(string path, int rows = 4096)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"Chunks need at least one row; got {rows}.");
        using var reader = new CsvReader(path);
        var encoder = new TableEncoder(this, path, reader.HeaderLine, reader.Header);
        bool any = false;
        while (reader.Next(rows) is { Count: > 0 } chunk)
        {
            any = true;
            var kept = encoder.Usable(chunk);
            if (kept.Count == 0) continue;
            yield return (tensor(encoder.Features(kept), new long[] { kept.Count, InputNames.Count }), kept.Select(r => r.Line).ToArray());
        }
        if (!any) throw new DataFormatException(path, null, null, "the file has a header but no data rows");
    }

    private static int TargetIndex(string path, int line, IReadOnlyList<string> header, string target)
    {
        var byName = header.ToList().IndexOf(target);
        if (byName >= 0) return byName;
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return index < header.Count ? index
                : throw new DataFormatException(path, line, null, $"target column index {index} is outside 0..{header.Count - 1}; available columns: {string.Join(", ", header)}");
        throw new DataFormatException(path, line, null, $"target column \"{target}\" not found; available columns: {string.Join(", ", header)}");
    }

    private static int[] FeatureIndices(string path, int line, IReadOnlyList<string> header, int target, TableOptions options)
    {
        int Find(string name, string role) => header.ToList().IndexOf(name) is var j && j >= 0 ? j
            : throw new DataFormatException(path, line, null, $"{role} column \"{name}\" not found; available columns: {string.Join(", ", header)}");
        var dropped = options.Drop.Select(d => Find(d, "dropped")).ToHashSet();
        var chosen = options.Features is { } f ? f.Select(n => Find(n, "feature")).ToArray() : Enumerable.Range(0, header.Count).ToArray();
        var features = chosen.Where(j => j != target && !dropped.Contains(j)).ToArray();
        if (features.Length == 0) throw new DataFormatException(path, line, null, "no feature columns are left besides the target");
        return features;
    }

    /// <summary>The named columns, or (auto) every feature column with a non-numeric cell.</summary>
    private static HashSet<int> CategoricalColumns(string path, IReadOnlyList<string> header, int[] features, IReadOnlyList<string>? named,
        List<(string[] Cells, int Line)> rows)
    {
        if (named is null) // auto: columns of text only; a column mixing numbers and text stays numeric, so its text cells are refused by name
            return features.Where(j => rows.Where(r => !Cells.IsMissing(r.Cells[j])).All(r => Cells.Number(r.Cells[j]) is null)).ToHashSet();
        foreach (var n in named)
            if (!features.Any(j => header[j] == n)) throw new DataFormatException(path, null, null, $"categorical column \"{n}\" is not a feature column");
        return features.Where(j => named.Contains(header[j])).ToHashSet();
    }

    private static (TaskKind Task, IReadOnlyList<string> Labels) TargetKind(string path, string name, int column, List<(string Cell, int Line)> cells, TaskKind? task)
    {
        var numbers = cells.Select(c => Cells.Number(c.Cell)).ToList();
        int firstText = numbers.FindIndex(v => v is null);
        if (task is null && firstText >= 0 && numbers.Any(v => v is not null))
            throw new DataFormatException(path, cells[firstText].Line, column, $"target column \"{name}\" mixes numbers and text such as \"{cells[firstText].Cell.Trim()}\"; give the task explicitly if these are class labels");
        if (task == TaskKind.Regression || (task is null && firstText < 0 && !LooksLikeClasses(numbers)))
        {
            if (firstText >= 0) throw new DataFormatException(path, cells[firstText].Line, column, $"target column \"{name}\": cannot read \"{cells[firstText].Cell.Trim()}\" as a number (regression needs numeric targets)");
            return (TaskKind.Regression, []);
        }
        if (firstText < 0)
        {
            int fraction = numbers.FindIndex(v => v != Math.Floor(v!.Value));
            if (fraction >= 0) throw new DataFormatException(path, cells[fraction].Line, column, $"target column \"{name}\" holds non-integer numbers such as {cells[fraction].Cell.Trim()}; classification needs class labels (integers or text)");
            var ordered = numbers.Select(v => v!.Value).Distinct().Order().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
            return Checked(path, name, ordered);
        }
        return Checked(path, name, cells.Select(c => Cells.Label(c.Cell)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
    }

    private static bool LooksLikeClasses(List<double?> numbers)
    {
        var distinct = numbers.Select(v => v!.Value).Distinct().Count();
        return distinct >= 2 && distinct <= MaxInferredClasses && numbers.All(v => v!.Value == Math.Floor(v.Value));
    }

    private static (TaskKind, IReadOnlyList<string>) Checked(string path, string name, string[] labels) => labels.Length >= 2
        ? (TaskKind.Classification, labels)
        : throw new DataFormatException(path, null, null, $"target column \"{name}\" has a single distinct value ({labels[0]}); classification needs at least two classes");
}
