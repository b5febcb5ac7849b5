using System.CommandLine;
using Occam.Data;
using Occam.Posteriors;

namespace Occam.Cli;

/// <summary>
/// Opens the data a command names: a <c>.csv</c> file (read with table options, or with a saved model's
/// table schema), a UCI benchmark folder (with a split index), or a folder of MNIST-style IDX files.
/// Options that do not apply to the kind of data given are refused by name.
/// </summary>
public static class DataSource
{
    /// <summary>The training set and, when there is one, the test set for <c>fit</c>.</summary>
    public static (Dataset Train, Dataset? Test) ForFit(string path, ParseResult parsed, TableFlags table, Option<int> split, Option<double> testFraction, Option<int?> limit, long seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool Given(Option o) => parsed.GetResult(o) is { Implicit: false };
        if (Directory.Exists(path))
        {
            if (table.Given(parsed).Concat(Given(testFraction) ? [testFraction.Name] : []).FirstOrDefault() is { } csvOnly)
                throw new ArgumentException($"{csvOnly} applies to CSV files; {path} is a folder");
            if (IsUci(path))
            {
                if (Given(limit)) throw new ArgumentException($"--limit applies to IDX image folders; {path} is a UCI benchmark folder");
                using var uci = UciBenchmark.Load(path);
                int s = parsed.GetValue(split);
                if (s < 0 || s >= uci.SplitCount) throw new ArgumentException($"--split must lie in 0..{uci.SplitCount - 1} for {uci.Name}; got {s}");
                return uci.Split(s);
            }
            if (IsIdx(path))
            {
                if (Given(split)) throw new ArgumentException($"--split applies to UCI benchmark folders; {path} holds IDX files");
                return (IdxReader.LoadMnist(path, train: true, parsed.GetValue(limit)), IdxReader.LoadMnist(path, train: false));
            }
            throw new DataFormatException(path, null, null, "folder holds neither a UCI benchmark (data.txt) nor MNIST-style IDX files (train-images-idx3-ubyte.gz)");
        }
        if (Given(split)) throw new ArgumentException("--split applies to UCI benchmark folders, not to a CSV file");
        if (Given(limit)) throw new ArgumentException("--limit applies to IDX image folders, not to a CSV file");
        double fraction = parsed.GetValue(testFraction);
        if (!(fraction >= 0 && fraction < 1)) throw new ArgumentException($"--test-fraction must lie in [0, 1); got {fraction}");
        var all = CsvLoader.Load(path, table.Options(parsed));
        if (fraction == 0) return (all, null);
        using (all)
        {
            try
            {
                return all.Split(fraction, seed);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--test-fraction: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Every row of <paramref name="path"/> as the model reads it: a CSV file through the model's saved
    /// table schema (columns by name, the training label mapping), a UCI folder's full data, or an IDX
    /// folder's test set. <paramref name="target"/> must be the model's target when given.
    /// </summary>
    public static Dataset ForModel(string path, ModelSchema? schema, string? target, bool requireTarget)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            if (target is not null) throw new ArgumentException($"--target applies to CSV files; {path} is a folder");
            if (IsUci(path))
            {
                using var uci = UciBenchmark.Load(path);
                return uci.All.Subset(Enumerable.Range(0, (int)uci.All.Count).Select(i => (long)i).ToArray(), uci.Name);
            }
            if (IsIdx(path)) return IdxReader.LoadMnist(path, train: false);
            throw new DataFormatException(path, null, null, "folder holds neither a UCI benchmark (data.txt) nor MNIST-style IDX files");
        }
        if (schema?.Table is not { } table)
        {
            if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
            throw new ArgumentException($"this model was not fitted on a CSV table, so it cannot read {path}; give it data of the kind it was fitted on");
        }
        if (target is not null && target != table.Target)
            throw new ArgumentException($"--target {target} differs from the model's target \"{table.Target}\"; leave --target out to use the model's");
        return table.Encode(path, requireTarget);
    }

    private static bool IsUci(string path) => File.Exists(Path.Combine(path, "data.txt"));

    private static bool IsIdx(string path) => File.Exists(Path.Combine(path, "train-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(path, "train-images-idx3-ubyte"))
        || File.Exists(Path.Combine(path, "t10k-images-idx3-ubyte.gz"));
}
