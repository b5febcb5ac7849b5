using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// One dataset of the UCI regression benchmark with its fixed train/test splits (the layout of
/// Hernández-Lobato &amp; Adams 2015, reused by MC dropout and deep ensembles): a folder holding
/// <c>data.txt</c>, <c>index_features.txt</c>, <c>index_target.txt</c>, <c>index_train_i.txt</c> /
/// <c>index_test_i.txt</c>, <c>n_splits.txt</c>, <c>n_hidden.txt</c> and <c>n_epochs.txt</c>.
/// </summary>
/// <remarks>
/// Everything is read and checked by <see cref="Load"/>: every index in range, train and test of each
/// split disjoint and without repeats. The data are kept raw; standardisation belongs to the caller
/// (with the training split's statistics). The benchmark owns <see cref="All"/>; datasets returned by
/// <see cref="Split"/> are copies owned by the caller.
/// </remarks>
public sealed class UciBenchmark : IDisposable
{
    private readonly long[][] _train;
    private readonly long[][] _test;
    private bool _disposed;

    private UciBenchmark(string name, Dataset all, int[] featureColumns, int targetColumn, long[][] train, long[][] test,
        int hiddenUnits, int epochs, double[] dropoutRates, double[] tauValues)
    {
        Name = name;
        All = all;
        FeatureColumns = featureColumns;
        TargetColumn = targetColumn;
        _train = train;
        _test = test;
        HiddenUnits = hiddenUnits;
        Epochs = epochs;
        DropoutRates = dropoutRates;
        TauValues = tauValues;
    }

    /// <summary>The dataset's name: the folder name (e.g. "yacht").</summary>
    public string Name { get; }

    /// <summary>Every row of <c>data.txt</c> as a regression dataset (features float32 [N, D], target float32 [N, 1]); owned by the benchmark.</summary>
    public Dataset All { get; }

    /// <summary>Number of train/test splits (<c>n_splits.txt</c>).</summary>
    public int SplitCount => _train.Length;

    /// <summary>Hidden units of the one-layer network in the protocol (<c>n_hidden.txt</c>).</summary>
    public int HiddenUnits { get; }

    /// <summary>Base number of training epochs in the protocol (<c>n_epochs.txt</c>).</summary>
    public int Epochs { get; }

    /// <summary>Number of rows in <c>data.txt</c>.</summary>
    public int RowCount => (int)All.Count;

    /// <summary>Number of input features.</summary>
    public int FeatureCount => FeatureColumns.Count;

    /// <summary>0-based columns of <c>data.txt</c> used as features (<c>index_features.txt</c>).</summary>
    public IReadOnlyList<int> FeatureColumns { get; }

    /// <summary>0-based column of <c>data.txt</c> used as the target (<c>index_target.txt</c>).</summary>
    public int TargetColumn { get; }

    /// <summary>The MC-dropout grid of dropout rates (<c>dropout_rates.txt</c>); empty when the file is absent.</summary>
    public IReadOnlyList<double> DropoutRates { get; }

    /// <summary>The MC-dropout grid of precisions tau (<c>tau_values.txt</c>); empty when the file is absent.</summary>
    public IReadOnlyList<double> TauValues { get; }

    /// <summary>Reads and checks one benchmark folder.</summary>
    /// <param name="directory">The folder, e.g. <c>shared/data/uci/yacht</c>.</param>
    /// <returns>The benchmark; dispose it when done.</returns>
    /// <exception cref="DataFormatException">A file is missing or malformed, or an index is out of range.</exception>
    public static UciBenchmark Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) throw new DataFormatException(directory, null, null, "folder not found");
        string File(string fileName) => Path.Combine(directory, fileName);

        var table = WhitespaceNumberFile.ReadTable(File("data.txt"));
        var featureColumns = ReadColumns(File("index_features.txt"), table.Columns);
        var targetFile = File("index_target.txt");
        var targetColumn = ReadColumns(targetFile, table.Columns);
        if (targetColumn.Length != 1)
            throw new DataFormatException(targetFile, null, null, $"expected exactly one column index, found {targetColumn.Length}");
        if (featureColumns.Contains(targetColumn[0]))
            throw new DataFormatException(targetFile, null, null, $"target column {targetColumn[0]} is also listed in index_features.txt");

        var splits = WhitespaceNumberFile.ReadSingleInteger(File("n_splits.txt"), 1);
        var hidden = WhitespaceNumberFile.ReadSingleInteger(File("n_hidden.txt"), 1);
        var epochs = WhitespaceNumberFile.ReadSingleInteger(File("n_epochs.txt"), 1);
        var train = new long[splits][];
        var test = new long[splits][];
        for (var i = 0; i < splits; i++)
            (train[i], test[i]) = UciSplitFiles.Read(File($"index_train_{i}.txt"), File($"index_test_{i}.txt"), table.Rows);

        var dropout = OptionalNumbers(File("dropout_rates.txt"));
        var tau = OptionalNumbers(File("tau_values.txt"));
        var all = BuildDataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), table, featureColumns, targetColumn[0]);
        return new UciBenchmark(all.Name, all, featureColumns, targetColumn[0], train, test, hidden, epochs, dropout, tau);
    }

    /// <summary>The raw (unstandardised) training and test datasets of split <paramref name="index"/>, owned by the caller.</summary>
    /// <param name="index">0-based split number, below <see cref="SplitCount"/>.</param>
    public (Dataset Train, Dataset Test) Split(int index)
    {
        var (trainRows, testRows) = SplitIndices(index);
        var train = All.Subset(trainRows, $"{Name}-split{index}-train");
        try
        {
            return (train, All.Subset(testRows, $"{Name}-split{index}-test"));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The 0-based row indices of split <paramref name="index"/>, in file order (copies).</summary>
    /// <param name="index">0-based split number, below <see cref="SplitCount"/>.</param>
    public (long[] Train, long[] Test) SplitIndices(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SplitCount);
        return ((long[])_train[index].Clone(), (long[])_test[index].Clone());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        All.Dispose();
    }

    private static int[] ReadColumns(string path, int columnCount)
    {
        var entries = WhitespaceNumberFile.ReadIntegers(path);
        if (entries.Count == 0) throw new DataFormatException(path, null, null, "the file holds no column indices");
        foreach (var (value, line) in entries)
            if (value < 0 || value >= columnCount)
                throw new DataFormatException(path, line, null, $"column index {value} is outside 0..{columnCount - 1} (data.txt has {columnCount} columns)");
        return entries.Select(e => e.Value).ToArray();
    }

    private static double[] OptionalNumbers(string path) =>
        System.IO.File.Exists(path) ? WhitespaceNumberFile.ReadNumbers(path) : Array.Empty<double>();

    private static Dataset BuildDataset(string name, WhitespaceNumberFile.Table table, int[] featureColumns, int targetColumn)
    {
        var rows = table.Rows;
        var d = featureColumns.Length;
        var features = new float[rows * d];
        var targets = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var offset = r * table.Columns;
            for (var j = 0; j < d; j++) features[r * d + j] = table.Values[offset + featureColumns[j]];
            targets[r] = table.Values[offset + targetColumn];
        }
        using var scope = NewDisposeScope();
        var names = featureColumns.Select(c => $"column {c}").ToArray();
        return new Dataset(tensor(features, new long[] { rows, d }), tensor(targets, new long[] { rows, 1 }),
            TaskKind.Regression, 0, name, names, $"column {targetColumn}");
    }
}
