using System.CommandLine;
using Occam.Data;
using Occam.Evaluation;

namespace Occam.Cli;

/// <summary>What a <c>bench uci</c> command line asks for once its options are read and checked.</summary>
/// <param name="DataDir">The folder holding the dataset folders.</param>
/// <param name="Datasets">Dataset folder names, in order.</param>
/// <param name="SplitCounts">The splits to run of each dataset.</param>
/// <param name="Options">The protocol's settings.</param>
/// <param name="Runs">The methods and their prediction variants, in order.</param>
/// <param name="Candidates">Under the tuned protocol, each run's candidate settings (in the order of <paramref name="Runs"/>); null under the fixed protocol.</param>
/// <param name="ValidationFraction">Under the tuned protocol, the fraction of each training split held out to choose the setting.</param>
internal sealed record BenchUciRequest(string DataDir, IReadOnlyList<string> Datasets, IReadOnlyList<int> SplitCounts, UciProtocolOptions Options,
    IReadOnlyList<MethodRun> Runs, IReadOnlyList<IReadOnlyList<TuningCandidate>>? Candidates = null, double ValidationFraction = UciTuning.DefaultValidationFraction)
{
    /// <summary>The folder of dataset <paramref name="name"/>.</summary>
    public string Folder(string name) => Path.Combine(DataDir, name);

    /// <summary>Runs run <paramref name="run"/> on split <paramref name="split"/> under the requested protocol (fixed, or tuned on a validation part of the training split).</summary>
    public UciSplitResult RunSplit(UciBenchmark benchmark, int run, int split, IProgress<string>? progress, CancellationToken cancellation) =>
        Candidates is null
            ? UciProtocol.RunSplit(benchmark, Runs[run], split, Options, progress, cancellation)
            : UciTuning.RunSplit(benchmark, Candidates[run], split, ValidationFraction, progress, cancellation);
}

/// <summary>How <c>bench uci</c> sets the hyperparameters: as given (fixed) or chosen per split on validation data (tuned).</summary>
internal enum UciProtocolKind
{
    /// <summary>The hyperparameters given on the command line.</summary>
    Fixed,

    /// <summary>Per split, the grid setting with the best validation log-likelihood (<see cref="UciTuning"/>).</summary>
    Tuned,
}

/// <summary>The options of <c>occam bench uci</c>, shared by the command and by <c>plan bench uci</c>, <c>work</c> and <c>combine</c>.</summary>
internal sealed class BenchUciArguments(CliEnvironment env, CommonOptions common)
{
    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Folder holding one sub-folder per UCI dataset (e.g. ../shared/data/uci)", Required = true };

    public Option<string> Datasets { get; } = new("--datasets") { Description = "Comma-separated dataset folder names", DefaultValueFactory = _ => "yacht,bostonHousing,concrete" };

    public Option<string> Methods { get; } = new("--methods") { Description = "Comma-separated methods (NAME@mean predicts at the posterior mean, from the same fit)", DefaultValueFactory = _ => "map,ensemble,mc-dropout" };

    public Option<int?> Splits { get; } = new("--splits") { Description = "Number of splits (default: all, 20; protein has 5)" };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 40 };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-2 };

    public Option<string> Schedule { get; } = CommonOptions.Schedule();

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 32 };

    public Option<string> Output { get; } = new("--out") { Description = "Output folder for results.json and results.md", DefaultValueFactory = _ => "occam-out/bench-uci" };

    public Option<UciProtocolKind> Protocol { get; } = new("--protocol") { Description = "fixed (the given hyperparameters) or tuned (per split, the --grid setting with the best log-likelihood on a validation part of the training split, refitted on all of it)", DefaultValueFactory = _ => UciProtocolKind.Fixed };

    public Option<string> Grid { get; } = new("--grid") { Description = "Tuned protocol: NAME=V1,V2;... over prior-precision, epochs, lr and method options (e.g. dropout-rate); each method tries the product of the axes that apply to it", DefaultValueFactory = _ => TuningGrid.Default };

    public Option<double> TuningFraction { get; } = new("--tuning-fraction") { Description = "Tuned protocol: fraction of each training split held out to choose the setting (the last rows)", DefaultValueFactory = _ => UciTuning.DefaultValidationFraction };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { DataDir, Datasets, Methods, Splits, Epochs, LearningRate, Schedule, BatchSize, Protocol, Grid, TuningFraction, Output }.Concat(env.MethodFlags.All))
            command.Options.Add(o);
    }

    /// <summary>The checked request: datasets exist and have the splits asked for, methods and their flags are known.</summary>
    public BenchUciRequest Read(ParseResult parsed)
    {
        var device = CommonOptions.ParseDevice(parsed.GetValue(common.Device)!);
        var names = parsed.GetValue(Datasets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new ArgumentException("--datasets lists a dataset more than once");
        var options = new UciProtocolOptions(parsed.GetValue(Splits), parsed.GetValue(Epochs), parsed.GetValue(BatchSize), parsed.GetValue(LearningRate),
            Seed: parsed.GetValue(common.Seed), Schedule: CommonOptions.ParseSchedule(parsed.GetValue(Schedule)), Device: device);
        if (options.Splits is < 1) throw new ArgumentException("--splits must be at least 1");
        var dataDir = parsed.GetValue(DataDir)!;
        var counts = new List<int>();
        foreach (var name in names)
        {
            var path = Path.Combine(dataDir, name);
            if (!Directory.Exists(path)) throw new DataFormatException(path, null, null, "no such dataset folder (check --data-dir and --datasets)");
            using var probe = UciBenchmark.Load(path);
            try
            {
                counts.Add(UciProtocol.SplitCount(probe, options));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--splits: {e.Message}");
            }
        }
        var given = env.MethodFlags.Given(parsed);
        var runs = MethodRuns.Parse(parsed.GetValue(Methods)!, env.Registry, env.MethodFlags, given, new Inference.ModelSetup());
        bool tuned = parsed.GetValue(Protocol) == UciProtocolKind.Tuned;
        if (!tuned)
        {
            foreach (var option in new Option[] { Grid, TuningFraction })
                if (parsed.GetResult(option) is { Implicit: false }) throw new ArgumentException($"{option.Name} applies to --protocol tuned only");
            return new BenchUciRequest(dataDir, names, counts, options, runs);
        }
        double fraction = parsed.GetValue(TuningFraction);
        if (!(fraction > 0 && fraction <= 0.5)) throw new ArgumentException($"--tuning-fraction must lie in (0, 0.5]; got {fraction}");
        var grid = TuningGrid.Parse(parsed.GetValue(Grid)!, env.MethodFlags);
        var candidates = runs.Select(run => grid.Candidates(run, options, env.Registry, env.MethodFlags, given)).ToList();
        return new BenchUciRequest(dataDir, names, counts, options, runs, candidates, fraction);
    }
}
