using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Evaluation;

namespace Occam.Cli;

/// <summary>What a <c>bench mnist</c> command line asks for once its options are read and checked.</summary>
/// <param name="DataDir">The MNIST folder, as given.</param>
/// <param name="OodDir">The notMNIST folder to score, or null to skip the OOD scores.</param>
/// <param name="TrainLimit">The first N training images, or null for all.</param>
/// <param name="TestLimit">The first N test (and OOD) images, or null for all.</param>
/// <param name="Options">The protocol's settings.</param>
/// <param name="Runs">The methods and their prediction variants, in order.</param>
internal sealed record BenchMnistRequest(string DataDir, string? OodDir, int? TrainLimit, int? TestLimit, MnistProtocolOptions Options, IReadOnlyList<MethodRun> Runs)
{
    /// <summary>Each method's options as "name=value" pairs, for the report.</summary>
    public Dictionary<string, string> Settings() => Runs.ToDictionary(r => r.Method.Name, r => MethodRuns.Describe(r.Method));

    /// <summary>Loads the training, test and OOD images (the caller disposes them; OOD is null when skipped).</summary>
    public (Dataset Train, Dataset Test, Dataset? Ood) Load()
    {
        var train = IdxReader.LoadMnist(DataDir, train: true, TrainLimit);
        Dataset? test = null;
        try
        {
            test = IdxReader.LoadMnist(DataDir, train: false, TestLimit);
            return (train, test, OodDir is null ? null : MnistProtocol.LoadNotMnist(OodDir, TestLimit));
        }
        catch
        {
            train.Dispose();
            test?.Dispose();
            throw;
        }
    }
}

/// <summary>The options of <c>occam bench mnist</c>, shared by the command and by <c>plan bench mnist</c>, <c>work</c> and <c>combine</c>.</summary>
internal sealed class BenchMnistArguments(CliEnvironment env, CommonOptions common)
{
    private static readonly string DefaultAngles = string.Join(",", MnistProtocolOptions.DefaultAngles.Select(a => a.ToString(CultureInfo.InvariantCulture)));

    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Folder with the four MNIST IDX gzip files (e.g. ../shared/data/mnist)", Required = true };

    public Option<string?> OodDir { get; } = new("--ood-dir") { Description = "Folder with the notMNIST t10k IDX files (default: the 'notmnist' folder next to --data-dir, if there)" };

    public Option<bool> NoOod { get; } = new("--no-ood") { Description = "Skip the out-of-distribution scores" };

    public Option<string> Methods { get; } = new("--methods") { Description = $"Comma-separated methods ({string.Join(", ", env.Registry.Names)}; NAME@mean predicts at the posterior mean)", DefaultValueFactory = _ => "map,ensemble,mc-dropout" };

    public Option<int?> TrainLimit { get; } = new("--train-limit") { Description = "Use the first N training images (default: all 60,000)" };

    public Option<int?> TestLimit { get; } = new("--test-limit") { Description = "Use the first N test images, and as many OOD images (default: all 10,000)" };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 5 };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 128 };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };

    public Option<string> Schedule { get; } = CommonOptions.Schedule();

    public Option<double> PriorPrecision { get; } = new("--prior-precision") { Description = "Gaussian prior precision λ on the weights (= weight decay λ/N)", DefaultValueFactory = _ => 1.0 };

    public Option<string> Angles { get; } = new("--angles") { Description = "Comma-separated rotation angles in degrees", DefaultValueFactory = _ => DefaultAngles };

    public Option<int> PredictBatchSize { get; } = new("--predict-batch-size") { Description = "Images per forward pass at prediction", DefaultValueFactory = _ => 1000 };

    public Option<string> Output { get; } = new("--out") { Description = "Output folder for results.json and results.md", DefaultValueFactory = _ => "occam-out/bench-mnist" };

    /// <summary>The options whose values are paths (made absolute in a plan).</summary>
    public IReadOnlyCollection<Option> Paths => [DataDir, OodDir];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { DataDir, OodDir, NoOod, Methods, TrainLimit, TestLimit, Epochs, BatchSize, LearningRate, Schedule, PriorPrecision, Angles, PredictBatchSize, Output }
            .Concat(env.MethodFlags.All))
            command.Options.Add(o);
    }

    /// <summary>The checked request: settings in range, methods and their flags known, the data folders present.</summary>
    public BenchMnistRequest Read(ParseResult parsed)
    {
        var device = CommonOptions.ParseDevice(parsed.GetValue(common.Device)!);
        var options = new MnistProtocolOptions
        {
            Epochs = Check(parsed.GetValue(Epochs), "--epochs", v => v >= 1, "at least 1"),
            BatchSize = Check(parsed.GetValue(BatchSize), "--batch-size", v => v >= 1, "at least 1"),
            LearningRate = Check(parsed.GetValue(LearningRate), "--lr", v => v > 0, "positive"),
            Schedule = CommonOptions.ParseSchedule(parsed.GetValue(Schedule)),
            PriorPrecision = Check(parsed.GetValue(PriorPrecision), "--prior-precision", v => v >= 0, "non-negative"),
            Seed = parsed.GetValue(common.Seed),
            Angles = ParseAngles(parsed.GetValue(Angles)!),
            PredictBatchSize = Check(parsed.GetValue(PredictBatchSize), "--predict-batch-size", v => v >= 1, "at least 1"),
            Device = device,
        };
        int? trainN = CheckLimit(parsed.GetValue(TrainLimit), "--train-limit");
        int? testN = CheckLimit(parsed.GetValue(TestLimit), "--test-limit");
        var runs = MethodRuns.Parse(parsed.GetValue(Methods)!, env.Registry, env.MethodFlags, env.MethodFlags.Given(parsed), MnistProtocol.Setup(options));
        var mnistDir = parsed.GetValue(DataDir)!;
        if (!Directory.Exists(mnistDir))
            throw new DataFormatException(mnistDir, null, null, "no such folder (--data-dir must name the folder with the MNIST IDX files)");
        var notMnistDir = parsed.GetValue(NoOod) ? null : OodFolder(mnistDir, parsed.GetValue(OodDir));
        return new BenchMnistRequest(mnistDir, notMnistDir, trainN, testN, options, runs);
    }

    /// <summary>The OOD folder: --ood-dir when given (it must exist), else a 'notmnist' folder next to the MNIST folder, else none.</summary>
    private static string? OodFolder(string mnistDir, string? given)
    {
        if (given is not null)
            return Directory.Exists(given) ? given : throw new DataFormatException(given, null, null, "no such folder (--ood-dir must name the folder with the notMNIST t10k IDX files)");
        // Keep the path as the user wrote it (relative stays relative); resolve it only when its last part is "." or "..".
        var trimmed = Path.TrimEndingDirectorySeparator(mnistDir);
        if (Path.GetFileName(trimmed) is "" or "." or "..") trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(trimmed));
        var parent = Path.GetDirectoryName(trimmed);
        var sibling = parent is null ? null : Path.Combine(parent, "notmnist");
        return sibling is not null && Directory.Exists(sibling) ? sibling : null;
    }

    private static double[] ParseAngles(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var angles = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out angles[i]) || !double.IsFinite(angles[i]))
                throw new ArgumentException($"--angles expects degrees separated by commas (e.g. 0,15,30); got '{text}'");
        var repeated = angles.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"--angles lists {repeated.Key.ToString(CultureInfo.InvariantCulture)} more than once");
        return angles;
    }

    private static int? CheckLimit(int? value, string option) =>
        value is < 1 ? throw new ArgumentException($"{option} must be at least 1; got {value}") : value;

    private static T Check<T>(T value, string option, Func<T, bool> ok, string expected) where T : struct, IConvertible =>
        ok(value) && double.IsFinite(value.ToDouble(CultureInfo.InvariantCulture))
            ? value
            : throw new ArgumentException($"{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}");
}
