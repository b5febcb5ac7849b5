using System.CommandLine;
using Occam.Distributed;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam status --store DIR</c>: which tasks of a plan are done, which are missing, and the index list to rerun.</summary>
public static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var store = new Option<string>("--store") { Description = "Folder holding plan.json (written by occam plan)", Required = true };
        var command = new Command("status", "Show the done and missing tasks of a plan and the index list to rerun") { store };
        command.SetAction(parsed =>
        {
            var tasks = TaskStore.Open(parsed.GetValue(store)!);
            var done = tasks.Done();
            var missing = Enumerable.Range(0, tasks.Plan.Count).Except(done).ToList();
            env.Console.MarkupLine(Markup.Escape($"plan {tasks.Hash[..12]}: {tasks.Plan.Command}, {tasks.Plan.Count} task{(tasks.Plan.Count == 1 ? "" : "s")}"));
            env.Console.MarkupLine(Markup.Escape($"done: {done.Count} ({(done.Count == 0 ? "none" : IndexRanges.Format(done))})"));
            env.Console.MarkupLine(Markup.Escape($"missing: {missing.Count} ({(missing.Count == 0 ? "none" : IndexRanges.Format(missing))})"));
            if (missing.Count > 0)
                env.Console.MarkupLine(Markup.Escape($"rerun: {IndexRanges.Format(missing)} (occam launch --store {tasks.Directory} --only-missing, or occam work --store {tasks.Directory} --task I)"));
            else
                env.Console.MarkupLine(Markup.Escape($"complete: occam combine --store {tasks.Directory}"));
            return 0;
        });
        return command;
    }
}
