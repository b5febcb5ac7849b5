using static TorchSharp.torch;

namespace Occam.Data.Tables;

/// <summary>
/// Applies a <see cref="TableSchema"/> to the rows of one file: finds its columns by name, applies the
/// missing-value policy, reads numbers, one-hot encodes categories, and maps class labels to the
/// training indices. Every refusal names the file, line and column.
/// </summary>
internal sealed class TableEncoder
{
    private readonly TableSchema _schema;
    private readonly string _path;
    private readonly IReadOnlyList<string> _header;
    private readonly int[] _columns; // header index of each schema column
    private readonly int _target;    // header index of the target, or -1

    public TableEncoder(TableSchema schema, string path, int headerLine, IReadOnlyList<string> header)
    {
        _schema = schema;
        _path = path;
        _header = header;
        var names = header.ToList();
        var missing = schema.Columns.Where(c => !names.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new DataFormatException(path, headerLine, null, $"column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"\"{m}\""))} missing; the model needs {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        _columns = schema.Columns.Select(c => names.IndexOf(c.Name)).ToArray();
        _target = names.IndexOf(schema.Target);
    }

    /// <summary>Whether the file has the target column.</summary>
    public bool HasTarget => _target >= 0;

    /// <summary>Encodes rows into a dataset (targets zeros when absent and not required); the caller owns it.</summary>
    public Dataset Encode(List<(string[] Cells, int Line)> rows, bool requireTarget, string name)
    {
        if (requireTarget && _target < 0)
            throw new DataFormatException(_path, null, null, $"target column \"{_schema.Target}\" missing; columns: {string.Join(", ", _header)}");
        var used = _target >= 0 ? _columns.Append(_target).ToArray() : _columns;
        rows = ApplyMissing(_path, _header, rows, used, _schema.Missing);
        if (rows.Count == 0) throw new DataFormatException(_path, null, null, "every row has a missing value; no data rows remain");
        using var scope = NewDisposeScope();
        var inputs = tensor(Features(rows), new long[] { rows.Count, _schema.InputNames.Count });
        Tensor targets = _schema.Task == TaskKind.Regression
            ? tensor(rows.Select(r => _target < 0 ? 0f : (float)Number(r, _target)).ToArray(), new long[] { rows.Count, 1 })
            : tensor(rows.Select(r => _target < 0 ? 0L : ClassIndex(r)).ToArray(), new long[] { rows.Count });
        return new Dataset(inputs, targets, _schema.Task, _schema.ClassLabels.Count, name, _schema.InputNames, _schema.Target)
        {
            Table = _schema,
            Lines = rows.Select(r => r.Line).ToArray(),
        };
    }

    /// <summary>The rows whose feature cells are present (the target is not needed), under the schema's missing-value policy.</summary>
    public List<(string[] Cells, int Line)> Usable(List<(string[] Cells, int Line)> rows) => ApplyMissing(_path, _header, rows, _columns, _schema.Missing);

    /// <summary>The encoded features of the rows, row-major [rows, inputs].</summary>
    public float[] Features(List<(string[] Cells, int Line)> rows)
    {
        int width = _schema.InputNames.Count;
        var values = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            int k = i * width;
            for (int c = 0; c < _columns.Length; c++)
            {
                var column = _schema.Columns[c];
                if (column.Categories is not { } categories)
                {
                    values[k++] = (float)Number(rows[i], _columns[c]);
                    continue;
                }
                var cell = rows[i].Cells[_columns[c]].Trim();
                int index = categories.ToList().IndexOf(cell);
                if (index < 0)
                    throw new DataFormatException(_path, rows[i].Line, _columns[c] + 1, $"column \"{column.Name}\": category \"{cell}\" was not seen in training; known: {string.Join(", ", categories)}");
                values[k + index] = 1f;
                k += categories.Count;
            }
        }
        return values;
    }

    /// <summary>
    /// Rows with a missing cell in a used column: refused (error policy: the count and the first row and
    /// column are named) or left out (drop-rows policy).
    /// </summary>
    public static List<(string[] Cells, int Line)> ApplyMissing(string path, IReadOnlyList<string> header, List<(string[] Cells, int Line)> rows, int[] used, MissingValues policy)
    {
        bool Missing((string[] Cells, int Line) r) => used.Any(j => Cells.IsMissing(r.Cells[j]));
        if (policy == MissingValues.DropRows) return rows.Where(r => !Missing(r)).ToList();
        var bad = rows.Where(Missing).ToList();
        if (bad.Count == 0) return rows;
        int column = used.First(j => Cells.IsMissing(bad[0].Cells[j]));
        throw new DataFormatException(path, bad[0].Line, column + 1,
            $"column \"{header[column]}\" is missing a value; {bad.Count} row{(bad.Count > 1 ? "s have" : " has")} missing values (leave such rows out with the drop-rows policy)");
    }

    private double Number((string[] Cells, int Line) row, int column) => Cells.Number(row.Cells[column])
        ?? throw new DataFormatException(_path, row.Line, column + 1, $"column \"{_header[column]}\": cannot read \"{row.Cells[column].Trim()}\" as a finite number");

    private long ClassIndex((string[] Cells, int Line) row)
    {
        var label = Cells.Label(row.Cells[_target]);
        int index = _schema.ClassLabels.ToList().IndexOf(label);
        return index >= 0 ? index
            : throw new DataFormatException(_path, row.Line, _target + 1, $"class label \"{label}\" was not seen in training; the model knows {string.Join(", ", _schema.ClassLabels)}");
    }
}
