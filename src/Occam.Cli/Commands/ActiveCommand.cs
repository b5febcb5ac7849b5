using System.CommandLine;
using System.Globalization;
using Occam.Active;
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
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var args = new ActiveArguments(env, env.Common);
        var command = new Command("active", "Pool-based active learning: learning curves of acquisition functions (BALD, entropy, ...) over seeds, resumable");
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            args.CheckOptions(parsed);
            using var folder = OutputFolder.Begin(parsed.GetValue(args.Output)!, "--out");
            var stateRoot = folder.Target + ".state";
            if (File.Exists(stateRoot)) throw new ArgumentException($"--out: the run state goes to {stateRoot}, which is a file");
            using var request = args.Read(parsed);
            var experiment = request.Experiment(stateRoot);
            env.Console.MarkupLine(Markup.Escape($"active learning with {request.Fitter.Name} on {request.Pool.Name}: pool {request.Pool.Count}, test {request.Test.Count} "
                + $"({request.Pool.Task.ToString().ToLowerInvariant()}); {string.Join(", ", request.Acquisitions.Select(a => a.Name))} × {request.Seeds.Count} "
                + $"seed{(request.Seeds.Count == 1 ? "" : "s")}; state in {stateRoot}"));
            var runs = RunExperiment(env, request, experiment);
            Report(env, folder.Path, request, runs);
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json, results.md and {Markup.Escape(ActiveLearningReport.PlotName(request.Fitter.Name))}");
            return 0;
        });
        return command;
    }

    /// <summary>Runs (or resumes) <paramref name="experiment"/>, one console line per round and per finished run.</summary>
    internal static IReadOnlyList<ActiveLearningRun> RunExperiment(CliEnvironment env, ActiveRequest request, ActiveLearningExperiment experiment) =>
        ActiveArguments.Mapped(() => experiment.Run(request.Pool, request.Test, new ActiveRunContext(Device: request.Device, Cancellation: env.Cancellation),
            (learner, s, r) => env.Console.MarkupLine(Markup.Escape($"{learner.Acquisition.Name} seed {s} round {r.Round}: {r.Describe()}")),
            run => env.Console.MarkupLine(Markup.Escape($"finished {run.Acquisition} seed {run.Seed}: {run.Rounds[^1].Describe()}"))), !request.Fitter.HasEpistemicPart);

    /// <summary>Writes results.json, results.md and the learning-curve plot of <paramref name="runs"/> into <paramref name="directory"/> and prints the final round.</summary>
    internal static void Report(CliEnvironment env, string directory, ActiveRequest request, IReadOnlyList<ActiveLearningRun> runs)
    {
        var results = ActiveLearningReport.Write(directory, request.Title, request.Settings(), runs);
        Print(env.Console, results);
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
