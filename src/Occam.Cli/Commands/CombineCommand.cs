using System.CommandLine;
using Occam.Distributed;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam combine --store DIR [--out DIR/result]</c>: joins the finished tasks of a plan into what the
/// single-process command writes (a fit's model/ and results, a benchmark's results or active learning's curves). Refuses a store
/// with missing tasks, naming them.
/// </summary>
public static class CombineCommand
{
    /// <summary>The default output folder inside the store.</summary>
    public const string ResultFolder = "result";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var store = new Option<string>("--store") { Description = "Folder holding plan.json and the task outputs", Required = true };
        var output = new Option<string?>("--out") { Description = "Output folder (default: --store DIR/result; replaced only when combining succeeds)" };
        var command = new Command("combine", "Combine the finished tasks of a plan into the fit's model and results, the benchmark's table or the learning curves") { store, output };
        command.SetAction(parsed =>
        {
            var tasks = TaskStore.Open(parsed.GetValue(store)!);
            Run(env, tasks, parsed.GetValue(output));
            return 0;
        });
        return command;
    }

    /// <summary>Combines <paramref name="tasks"/> into <paramref name="output"/> (default STORE/result).</summary>
    internal static void Run(CliEnvironment env, TaskStore tasks, string? output)
    {
        var markers = tasks.RequireComplete();
        using var folder = OutputFolder.Begin(output ?? Path.Combine(tasks.Directory, ResultFolder), "--out");
        PlannedWork.Combine(env, tasks, markers, folder.Path);
        env.Cancellation.ThrowIfCancellationRequested();
        folder.Commit();
        env.Console.MarkupLine($"combined {tasks.Plan.Count} task{(tasks.Plan.Count == 1 ? "" : "s")} into [bold]{Markup.Escape(folder.Target)}[/]");
    }
}
