using System.CommandLine;
using System.Globalization;
using Occam.Active;
using Occam.Core.Options;
using Occam.Data;
using Occam.Inference;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam active</c>: pool-based active learning with one method and several acquisition functions over
/// several seeds (<see cref="ActiveLearningExperiment"/>). Learning curves go to --out as PNG, Markdown and
/// JSON; every round's state is saved beside it (<c>OUT.state</c>), so the same command resumes an
/// interrupted run and a finished one is only reported again.
/// </summary>
public static class ActiveCommand
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

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "A .csv file (with --target), a UCI benchmark folder or a folder of MNIST-style IDX files: its training part is the pool, its test part scores every round", Required = true };
        var method = new Option<string>("--method") { Description = $"Inference method fitted every round: {string.Join(", ", env.Registry.Names)} (see occam methods)", DefaultValueFactory = _ => "mc-dropout" };
        var acquisition = new Option<string?>("--acquisition") { Description = $"Comma-separated acquisition functions ({string.Join(", ", Acquisitions.Names)}); default {ClassificationDefault} for classification, {RegressionDefault} for regression" };
        var initial = new Option<int>("--initial") { Description = "Labels drawn at random before the first round", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Points acquired per round", DefaultValueFactory = _ => 10 };
        var budget = new Option<int>("--budget") { Description = "Total labels at which a run ends, the initial ones included", DefaultValueFactory = _ => 1000 };
        var rounds = new Option<int?>("--rounds") { Description = "Acquisition rounds at most (the budget becomes the smaller of --budget and initial + rounds × batch)" };
        var seeds = new Option<int>("--seeds") { Description = "Runs per acquisition function, with seeds --seed, --seed + 1, ...", DefaultValueFactory = _ => 3 };
        var classBalanced = new Option<bool>("--class-balanced") { Description = "Classification: draw the initial labels with equal counts per class" };
        var warmStart = new Option<bool>("--warm-start") { Description = "Start each round's training from the previous round's weights (default: retrain from scratch)" };
        var poolSubset = new Option<int?>("--pool-subset") { Description = "Score a fresh random subset of this many unlabelled points each round (default: the whole pool)" };
        var trainingSteps = new Option<int?>("--training-steps") { Description = "Train each round for about this many optimiser steps instead of --epochs" };
        var split = new Option<int>("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };
        var testFraction = new Option<double>("--test-fraction") { Description = "CSV: fraction of rows held out as the test set", DefaultValueFactory = _ => 0.2 };
        var limit = new Option<int?>("--limit") { Description = "IDX: use at most this many training images as the pool" };
        var output = new Option<string>("--out") { Description = "Output folder: results.json, results.md, learning-curves-METHOD.png (replaced only when the run succeeds); run state in OUT.state", DefaultValueFactory = _ => "occam-out/active" };
        var table = new TableFlags();
        var model = new ModelOptions();
        var command = new Command("active", "Pool-based active learning: learning curves of acquisition functions (BALD, entropy, ...) over seeds, resumable")
        {
            data, method, acquisition, initial, batch, budget, rounds, seeds, classBalanced, warmStart, poolSubset, trainingSteps, split, testFraction, limit, output,
        };
        foreach (var o in table.All.Concat(model.All).Concat(env.MethodFlags.All)) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            long seed = parsed.GetValue(env.Common.Seed);
            var selection = env.Registry.Parse(parsed.GetValue(method)!);
            if (selection.AtMean) throw new ArgumentException($"--method {selection.Label}: active learning scores with the full predictive; leave out @mean");
            var methodOptions = env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed))[0];
            int seedCount = parsed.GetValue(seeds);
            if (seedCount < 1) throw new ArgumentException($"--seeds must be at least 1; got {seedCount}");
            var options = Mapped(() => LoopOptions(parsed, initial, batch, budget, rounds, classBalanced, warmStart, poolSubset, trainingSteps), false);
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var stateRoot = folder.Target + ".state";
            if (File.Exists(stateRoot)) throw new ArgumentException($"--out: the run state goes to {stateRoot}, which is a file");
            if (parsed.GetValue(testFraction) == 0) throw new ArgumentException("--test-fraction must be above 0: the held-out rows score every round");
            var (pool, test) = DataSource.ForFit(parsed.GetValue(data)!, parsed, table, split, testFraction, limit, seed);
            using (pool)
            using (test)
            {
                var fitter = selection.Entry.Create(model.Setup(parsed, pool.Task, pool.InputShape), methodOptions);
                var text = parsed.GetValue(acquisition) ?? (pool.Task == TaskKind.Classification ? ClassificationDefault : RegressionDefault);
                var acquisitions = Mapped(() => Acquisitions.Parse(text, pool.Task), false);
                var experiment = new ActiveLearningExperiment(fitter, acquisitions, options, Enumerable.Range(0, seedCount).Select(i => seed + i).ToList(), stateRoot);
                bool noEpistemic = !fitter.HasEpistemicPart;
                Mapped(() => { experiment.Check(pool, test!); return 0; }, noEpistemic);
                env.Console.MarkupLine(Markup.Escape($"active learning with {fitter.Name} on {pool.Name}: pool {pool.Count}, test {test!.Count} ({pool.Task.ToString().ToLowerInvariant()}); "
                    + $"{string.Join(", ", acquisitions.Select(a => a.Name))} × {seedCount} seed{(seedCount == 1 ? "" : "s")}; state in {stateRoot}"));
                var runs = Mapped(() => experiment.Run(pool, test, new ActiveRunContext(Device: device, Cancellation: env.Cancellation),
                    (learner, s, r) => env.Console.MarkupLine(Markup.Escape($"{learner.Acquisition.Name} seed {s} round {r.Round}: {r.Describe()}")),
                    run => env.Console.MarkupLine(Markup.Escape($"finished {run.Acquisition} seed {run.Seed}: {run.Rounds[^1].Describe()}"))), noEpistemic);
                var results = ActiveLearningReport.Write(folder.Path, $"Active learning on {pool.Name}: {fitter.Name}", Settings(pool, test, fitter, options, experiment), runs);
                Print(env.Console, results);
                env.Cancellation.ThrowIfCancellationRequested();
                folder.Commit();
                env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json, results.md and {Markup.Escape(ActiveLearningReport.PlotName(fitter.Name))}");
            }
            return 0;
        });
        return command;
    }

    private static ActiveLearningOptions LoopOptions(ParseResult parsed, Option<int> initial, Option<int> batch, Option<int> budget, Option<int?> rounds,
        Option<bool> classBalanced, Option<bool> warmStart, Option<int?> poolSubset, Option<int?> trainingSteps)
    {
        int labels = parsed.GetValue(budget);
        if (parsed.GetValue(rounds) is { } r)
        {
            if (r < 1) throw new ArgumentException($"--rounds must be at least 1; got {r}");
            labels = (int)Math.Min(labels, parsed.GetValue(initial) + (long)r * Math.Max(1, parsed.GetValue(batch)));
        }
        return new ActiveLearningOptions
        {
            Initial = parsed.GetValue(initial),
            Acquire = parsed.GetValue(batch),
            Budget = labels,
            ClassBalanced = parsed.GetValue(classBalanced),
            WarmStart = parsed.GetValue(warmStart),
            PoolSubset = parsed.GetValue(poolSubset),
            TrainingSteps = parsed.GetValue(trainingSteps),
        }.Validate();
    }

    /// <summary>Runs <paramref name="action"/>, prefixing the flag to a library error that names one of the loop's options (the method's flag when it lacks the epistemic part an acquisition needs).</summary>
    private static T Mapped<T>(Func<T> action, bool noEpistemic)
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

    private static Dictionary<string, string> Settings(Dataset pool, Dataset test, IPosteriorMethod fitter, ActiveLearningOptions options, ActiveLearningExperiment experiment)
    {
        var training = fitter.Setup.Training;
        return new Dictionary<string, string>
        {
            ["data"] = $"{pool.Name}: pool of {pool.Count} points, test set of {test.Count} points ({pool.Task.ToString().ToLowerInvariant()})",
            ["model"] = $"{fitter.Setup.Network.Describe()}, " + (options.WarmStart ? "warm-started from the previous round" : "trained from scratch every round")
                + (options.TrainingSteps is { } s ? $" for about {s} steps" : $" for {training.Epochs} epochs") + $", batch {training.BatchSize}, lr {training.LearningRate.ToString(CultureInfo.InvariantCulture)}",
            ["method"] = $"{fitter.Name} ({OptionBinder.Summary(fitter.Options)})",
            ["loop"] = $"{options.Initial}{(options.ClassBalanced ? " class-balanced" : "")} initial labels, {options.Acquire} acquired per round up to {options.Budget} labels",
            ["pool scoring"] = options.PoolSubset is { } subset ? $"a fresh random subset of {subset} unlabelled points per round" : "every unlabelled point",
            ["seeds"] = string.Join(", ", experiment.Seeds),
        };
    }

    private static void Print(IAnsiConsole console, ActiveLearningResults results)
    {
        bool classification = results.Summaries.Count > 0 && results.Summaries[0].Metrics.ContainsKey("accuracy");
        var (first, second) = classification ? ("accuracy", "nll") : ("rmse", "test_ll");
        var table = new Table().Title(Markup.Escape(results.Title + " (final round, mean ± sd over seeds)"));
        foreach (var h in new[] { "acquisition", "seeds", "labels", classification ? "accuracy" : "RMSE", classification ? "NLL" : "test LL" }) table.AddColumn(h);
        foreach (var s in results.Summaries.Where(s => s.Labels.Length > 0))
        {
            string Last(string metric) => Format.MeanSe(s.Metrics[metric].Mean[^1], s.Metrics[metric].Sd[^1], 4);
            table.AddRow(Markup.Escape(s.Acquisition), s.Seeds.Length.ToString(CultureInfo.InvariantCulture), s.Labels[^1].ToString(CultureInfo.InvariantCulture),
                Last(first), Last(second));
        }
        console.Write(table);
    }
}
