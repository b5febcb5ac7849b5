using System.CommandLine;
using System.Globalization;
using Occam.Active;
using Occam.Core.Options;
using Occam.Data;
using Occam.Inference;
using TorchSharp;

namespace Occam.Cli;

/// <summary>
/// An <c>active</c> command line once read: the pool and test data, the method, the acquisition functions and the loop.
/// Disposing it disposes the data.
/// </summary>
/// <param name="Pool">The pool (the data's training part).</param>
/// <param name="Test">The test part, scored every round.</param>
/// <param name="Fitter">The method fitted every round.</param>
/// <param name="Acquisitions">The acquisition functions, in the order given.</param>
/// <param name="Options">The loop's settings.</param>
/// <param name="Seeds">The seeds, in the order they run.</param>
/// <param name="Device">The device to fit and predict on.</param>
internal sealed record ActiveRequest(Dataset Pool, Dataset Test, IPosteriorMethod Fitter, IReadOnlyList<Acquisition> Acquisitions, ActiveLearningOptions Options,
    IReadOnlyList<long> Seeds, torch.Device Device) : IDisposable
{
    /// <summary>
    /// The experiment over every acquisition function and seed (or only <paramref name="acquisition"/> and <paramref name="seed"/>),
    /// its state under <paramref name="stateRoot"/> (null: not saved).
    /// </summary>
    public ActiveLearningExperiment Experiment(string? stateRoot, Acquisition? acquisition = null, long? seed = null) =>
        new(Fitter, acquisition is null ? Acquisitions : [acquisition], Options, seed is { } s ? [s] : Seeds, stateRoot);

    /// <summary>The report's title.</summary>
    public string Title => $"Active learning on {Pool.Name}: {Fitter.Name}";

    /// <summary>The report's settings.</summary>
    public Dictionary<string, string> Settings()
    {
        var training = Fitter.Setup.Training;
        return new Dictionary<string, string>
        {
            ["data"] = $"{Pool.Name}: pool of {Pool.Count} points, test set of {Test.Count} points ({Pool.Task.ToString().ToLowerInvariant()})",
            ["model"] = $"{Fitter.Setup.Network.Describe()}, " + (Options.WarmStart ? "warm-started from the previous round" : "trained from scratch every round")
                + (Options.TrainingSteps is { } s ? $" for about {s} steps" : $" for {training.Epochs} epochs") + $", batch {training.BatchSize}, lr {training.LearningRate.ToString(CultureInfo.InvariantCulture)}",
            ["method"] = $"{Fitter.Name} ({OptionBinder.Summary(Fitter.Options)})",
            ["loop"] = $"{Options.Initial}{(Options.ClassBalanced ? " class-balanced" : "")} initial labels, {Options.Acquire} acquired per round up to {Options.Budget} labels",
            ["pool scoring"] = Options.PoolSubset is { } subset ? $"a fresh random subset of {subset} unlabelled points per round" : "every unlabelled point",
            ["seeds"] = string.Join(", ", Seeds),
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Pool.Dispose();
        Test.Dispose();
    }
}

/// <summary>The options of <c>occam active</c>, shared by the command and by <c>plan active</c>, <c>work</c> and <c>combine</c>.</summary>
internal sealed class ActiveArguments(CliEnvironment env, CommonOptions common)
{
    private const string ClassificationDefault = "bald,entropy,variation-ratios,mean-std,random";
    private const string RegressionDefault = "epistemic-variance,random";

    /// <summary>Library option names (ParamName of the library's exceptions) and the flags that set them.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [nameof(ActiveLearningOptions.Initial)] = "--initial",
        [nameof(ActiveLearningOptions.Acquire)] = "--batch",
        [nameof(ActiveLearningOptions.Budget)] = "--budget",
        [nameof(ActiveLearningOptions.PoolSubset)] = "--pool-subset",
        [nameof(ActiveLearningOptions.ClassBalanced)] = "--class-balanced",
        [nameof(ActiveLearningOptions.TrainingSteps)] = "--training-steps",
        ["acquisition"] = "--acquisition",
        ["state"] = "--out",
    };

    private readonly TableFlags _table = new();
    private readonly ModelOptions _model = new();

    public Option<string> Data { get; } = new("--data") { Description = "A .csv file (with --target), a UCI benchmark folder or a folder of MNIST-style IDX files: its training part is the pool, its test part scores every round", Required = true };

    public Option<string> Method { get; } = new("--method") { Description = $"Inference method fitted every round: {string.Join(", ", env.Registry.Names)} (see occam methods)", DefaultValueFactory = _ => "mc-dropout" };

    public Option<string?> Acquisition { get; } = new("--acquisition") { Description = $"Comma-separated acquisition functions ({string.Join(", ", Acquisitions.Names)}); default {ClassificationDefault} for classification, {RegressionDefault} for regression" };

    public Option<int> Initial { get; } = new("--initial") { Description = "Labels drawn at random before the first round", DefaultValueFactory = _ => 20 };

    public Option<int> Batch { get; } = new("--batch") { Description = "Points acquired per round", DefaultValueFactory = _ => 10 };

    public Option<int> Budget { get; } = new("--budget") { Description = "Total labels at which a run ends, the initial ones included", DefaultValueFactory = _ => 1000 };

    public Option<int?> Rounds { get; } = new("--rounds") { Description = "Acquisition rounds at most (the budget becomes the smaller of --budget and initial + rounds × batch)" };

    public Option<int> Seeds { get; } = new("--seeds") { Description = "Runs per acquisition function, with seeds --seed, --seed + 1, ...", DefaultValueFactory = _ => 3 };

    public Option<bool> ClassBalanced { get; } = new("--class-balanced") { Description = "Classification: draw the initial labels with equal counts per class" };

    public Option<bool> WarmStart { get; } = new("--warm-start") { Description = "Start each round's training from the previous round's weights (default: retrain from scratch)" };

    public Option<int?> PoolSubset { get; } = new("--pool-subset") { Description = "Score a fresh random subset of this many unlabelled points each round (default: the whole pool)" };

    public Option<int?> TrainingSteps { get; } = new("--training-steps") { Description = "Train each round for about this many optimiser steps instead of --epochs" };

    public Option<int> Split { get; } = new("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };

    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "CSV: fraction of rows held out as the test set", DefaultValueFactory = _ => 0.2 };

    public Option<int?> Limit { get; } = new("--limit") { Description = "IDX: use at most this many training images as the pool" };

    public Option<string> Output { get; } = new("--out") { Description = "Output folder: results.json, results.md, learning-curves-METHOD.png (replaced only when the run succeeds); run state in OUT.state", DefaultValueFactory = _ => "occam-out/active" };

    /// <summary>The options whose values are paths (made absolute in a plan).</summary>
    public IReadOnlyCollection<Option> Paths => [Data];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Method, Acquisition, Initial, Batch, Budget, Rounds, Seeds, ClassBalanced, WarmStart, PoolSubset, TrainingSteps, Split, TestFraction, Limit, Output }
            .Concat(_table.All).Concat(_model.All).Concat(env.MethodFlags.All))
            command.Options.Add(o);
    }

    /// <summary>Checks the options that need no data; call before taking the output folder, then <see cref="Read"/>.</summary>
    public void CheckOptions(ParseResult parsed)
    {
        CommonOptions.ParseDevice(parsed.GetValue(common.Device)!);
        var selection = env.Registry.Parse(parsed.GetValue(Method)!);
        if (selection.AtMean) throw new ArgumentException($"--method {selection.Label}: active learning scores with the full predictive; leave out @mean");
        env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed));
        if (parsed.GetValue(Seeds) is var n && n < 1) throw new ArgumentException($"--seeds must be at least 1; got {n}");
        Mapped(() => LoopOptions(parsed), false);
        if (parsed.GetValue(TestFraction) == 0) throw new ArgumentException("--test-fraction must be above 0: the held-out rows score every round");
    }

    /// <summary>Loads the data and builds the method and acquisition functions, checked against the data.</summary>
    public ActiveRequest Read(ParseResult parsed)
    {
        CheckOptions(parsed);
        var device = CommonOptions.ParseDevice(parsed.GetValue(common.Device)!);
        long seed = parsed.GetValue(common.Seed);
        var selection = env.Registry.Parse(parsed.GetValue(Method)!);
        var methodOptions = env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed))[0];
        var options = LoopOptions(parsed);
        var (pool, test) = DataSource.ForFit(parsed.GetValue(Data)!, parsed, _table, Split, TestFraction, Limit, seed);
        try
        {
            var fitter = selection.Entry.Create(_model.Setup(parsed, pool.Task, pool.InputShape), methodOptions);
            var text = parsed.GetValue(Acquisition) ?? (pool.Task == TaskKind.Classification ? ClassificationDefault : RegressionDefault);
            var acquisitions = Mapped(() => Acquisitions.Parse(text, pool.Task), false);
            var request = new ActiveRequest(pool, test!, fitter, acquisitions, options, Enumerable.Range(0, parsed.GetValue(Seeds)).Select(i => seed + i).ToList(), device);
            Mapped(() => { request.Experiment(null).Check(pool, test!); return 0; }, !fitter.HasEpistemicPart);
            return request;
        }
        catch
        {
            pool.Dispose();
            test?.Dispose();
            throw;
        }
    }

    private ActiveLearningOptions LoopOptions(ParseResult parsed)
    {
        int labels = parsed.GetValue(Budget);
        if (parsed.GetValue(Rounds) is { } r)
        {
            if (r < 1) throw new ArgumentException($"--rounds must be at least 1; got {r}");
            labels = (int)Math.Min(labels, parsed.GetValue(Initial) + (long)r * Math.Max(1, parsed.GetValue(Batch)));
        }
        return new ActiveLearningOptions
        {
            Initial = parsed.GetValue(Initial),
            Acquire = parsed.GetValue(Batch),
            Budget = labels,
            ClassBalanced = parsed.GetValue(ClassBalanced),
            WarmStart = parsed.GetValue(WarmStart),
            PoolSubset = parsed.GetValue(PoolSubset),
            TrainingSteps = parsed.GetValue(TrainingSteps),
        }.Validate();
    }

    /// <summary>
    /// Runs <paramref name="action"/>, prefixing the flag to a library error that names one of the loop's options (the method's flag
    /// when it lacks the epistemic part an acquisition needs).
    /// </summary>
    public static T Mapped<T>(Func<T> action, bool noEpistemic)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e) when (e.ParamName is { } name && Flags.TryGetValue(name, out var flag))
        {
            var message = e.Message;
            int note = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (note > 0) message = message[..note];
            if (name == "acquisition" && noEpistemic && message.Contains("epistemic part", StringComparison.Ordinal)) flag = "--method";
            throw new ArgumentException($"{flag}: {message}", e);
        }
        catch (NotSupportedException e) when (e.Message.Contains("warm-start", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"--warm-start: {e.Message}", e);
        }
    }
}
