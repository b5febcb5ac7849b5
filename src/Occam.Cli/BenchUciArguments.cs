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
internal sealed record BenchUciRequest(string DataDir, IReadOnlyList<string> Datasets, IReadOnlyList<int> SplitCounts, UciProtocolOptions Options,
    IReadOnlyList<MethodRun> Runs)
{
    /// <summary>The folder of dataset <paramref name="name"/>.</summary>
    public string Folder(string name) => Path.Combine(DataDir, name);
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

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { DataDir, Datasets, Methods, Splits, Epochs, LearningRate, Schedule, BatchSize, Output }.Concat(env.MethodFlags.All))
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
        var runs = MethodRuns.Parse(parsed.GetValue(Methods)!, env.Registry, env.MethodFlags, env.MethodFlags.Given(parsed), new Inference.ModelSetup());
        return new BenchUciRequest(dataDir, names, counts, options, runs);
    }
}
