using Occam.Data;

namespace Occam.Cli;

/// <summary>
/// Opens a dataset from a path given on the command line: a <c>.csv</c> file (with a target column), a
/// UCI benchmark folder (with a split index), or a folder of MNIST-style IDX files.
/// </summary>
public static class DataSource
{
    /// <summary>Loads a train/test pair from <paramref name="path"/>.</summary>
    /// <param name="path">CSV file, UCI folder (has data.txt) or IDX folder (has train-images-idx3-ubyte.gz).</param>
    /// <param name="target">CSV target column (name or 0-based index); required for CSV.</param>
    /// <param name="task">CSV task (null: inferred).</param>
    /// <param name="split">UCI split index.</param>
    /// <param name="testFraction">CSV: fraction held out for testing by a seeded shuffle (0: no test set).</param>
    /// <param name="seed">Seed of the CSV hold-out shuffle.</param>
    /// <param name="limit">IDX: at most this many training images (null: all).</param>
    /// <returns>The training set and, when there is one, the test set.</returns>
    public static (Dataset Train, Dataset? Test) Load(string path, string? target = null, TaskKind? task = null, int split = 0,
        double testFraction = 0.1, long seed = 0, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            if (File.Exists(Path.Combine(path, "data.txt")))
            {
                using var uci = UciBenchmark.Load(path);
                if (split < 0 || split >= uci.SplitCount)
                    throw new ArgumentException($"--split must lie in 0..{uci.SplitCount - 1} for {uci.Name}; got {split}.", nameof(split));
                return uci.Split(split);
            }
            if (File.Exists(Path.Combine(path, "train-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(path, "train-images-idx3-ubyte")))
                return (IdxReader.LoadMnist(path, train: true, limit), IdxReader.LoadMnist(path, train: false));
            throw new DataFormatException(path, null, null, "folder holds neither a UCI benchmark (data.txt) nor MNIST-style IDX files (train-images-idx3-ubyte.gz)");
        }
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "no such file or folder");
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("a CSV file needs --target (column name or 0-based index)", nameof(target));
        if (!(testFraction >= 0 && testFraction < 1)) throw new ArgumentException($"--test-fraction must lie in [0, 1); got {testFraction}.", nameof(testFraction));
        var all = CsvLoader.Load(path, target, task);
        if (testFraction == 0) return (all, null);
        using (all)
        {
            try
            {
                var (train, test) = all.Split(testFraction, seed);
                return (train, test);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--test-fraction: {e.Message}");
            }
        }
    }

    /// <summary>Loads every row of <paramref name="path"/> as one dataset (CSV, or a UCI folder's full data, or the IDX test set).</summary>
    public static Dataset LoadAll(string path, string? target = null, TaskKind? task = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, "data.txt")))
        {
            using var uci = UciBenchmark.Load(path);
            return uci.All.Subset(Enumerable.Range(0, (int)uci.All.Count).Select(i => (long)i).ToArray(), uci.Name);
        }
        if (Directory.Exists(path)) return IdxReader.LoadMnist(path, train: false);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "no such file or folder");
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("a CSV file needs --target (column name or 0-based index)", nameof(target));
        return CsvLoader.Load(path, target, task);
    }
}
