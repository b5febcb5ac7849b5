using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Occam.Distributed;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam work --store DIR [--task I]</c>: runs one task of a plan into tasks/I (written privately, then
/// renamed into place with its done marker); a task already done is skipped. The index comes from --task,
/// else SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX.
/// </summary>
public static class WorkCommand
{
    /// <summary>Testing hook: comma-separated task indices whose worker fails on purpose with <see cref="FaultExitCode"/>.</summary>
    public const string FaultVariable = "OCCAM_FAULT_TASKS";

    /// <summary>The exit code of a task failed through <see cref="FaultVariable"/>.</summary>
    public const int FaultExitCode = 3;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var store = new Option<string>("--store") { Description = "Folder holding plan.json (written by occam plan)", Required = true };
        var task = new Option<int?>("--task") { Description = "Task index (default: SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX)" };
        var list = new Option<string?>("--tasks") { Description = "Several tasks one after another in this process, e.g. 0-4,7 (the local engine's workers); a failed task does not stop the others" };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: SLURM_CPUS_PER_TASK, else the cgroup CPU limit, else libtorch's choice)" };
        var command = new Command("work", "Run one task of a plan into --store DIR/tasks/I; a finished task is skipped") { store, task, list, threads };
        command.SetAction(parsed =>
        {
            var tasks = TaskStore.Open(parsed.GetValue(store)!);
            if (parsed.GetValue(list) is { } text)
            {
                if (parsed.GetValue(task) is not null) throw new ArgumentException("--task and --tasks exclude each other; give one");
                IReadOnlyList<int> indices;
                try
                {
                    indices = IndexRanges.Parse(text);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"--tasks: {e.Message}");
                }
                foreach (var i in indices) tasks.CheckIndex(i);
                ApplyThreads(env, parsed.GetValue(threads));
                return RunSeveral(env, tasks, indices);
            }
            var (index, source) = TaskIndex.Resolve(parsed.GetValue(task), Environment.GetEnvironmentVariable);
            tasks.CheckIndex(index);
            ApplyThreads(env, parsed.GetValue(threads));
            return RunOne(env, tasks, index, source);
        });
        return command;
    }

    /// <summary>Runs <paramref name="indices"/> in order; a failure is reported on its own line and the rest still run. Exit code: 0, or <see cref="FaultExitCode"/> when only injected faults failed, else 1.</summary>
    private static int RunSeveral(CliEnvironment env, TaskStore tasks, IReadOnlyList<int> indices)
    {
        var codes = new List<int>();
        foreach (var index in indices)
        {
            env.Cancellation.ThrowIfCancellationRequested();
            try
            {
                int code = RunOne(env, tasks, index, "--tasks");
                if (code != 0) codes.Add(code);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                env.Error.WriteLine($"error: task {index}: {e.Message.Split('\n')[0]}");
                codes.Add(CliApp.Failed);
            }
        }
        return codes.Count == 0 ? 0 : codes.All(c => c == FaultExitCode) ? FaultExitCode : CliApp.Failed;
    }

    private static int RunOne(CliEnvironment env, TaskStore tasks, int index, string source)
    {
        var planned = tasks.Plan.Tasks[index];
        if (tasks.Marker(index) is not null)
        {
            env.Console.MarkupLine(Markup.Escape($"task {index} ({planned.Label}) is already done; skipped"));
            return 0;
        }
        if (Faulty(index))
        {
            env.Error.WriteLine($"error: task {index} failed on purpose ({FaultVariable} lists it)");
            return FaultExitCode;
        }
        env.Console.MarkupLine(Markup.Escape($"task {index} ({planned.Label}, index from {source}, seed {planned.Seed}) of plan {tasks.Hash[..12]}"));
        var temp = tasks.Begin(index);
        try
        {
            var clock = Stopwatch.StartNew();
            PlannedWork.Run(env, tasks, planned, temp);
            env.Cancellation.ThrowIfCancellationRequested();
            bool mine = tasks.Commit(index, temp, clock.Elapsed.TotalSeconds);
            env.Console.MarkupLine(Markup.Escape(mine ? $"task {index} done: {tasks.TaskDirectory(index)}" : $"task {index} was finished meanwhile by another worker; kept its output"));
        }
        finally
        {
            TaskStore.Abandon(temp);
        }
        return 0;
    }

    private static bool Faulty(int index) =>
        (Environment.GetEnvironmentVariable(FaultVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(index.ToString(CultureInfo.InvariantCulture));

    private static void ApplyThreads(CliEnvironment env, int? given)
    {
        if (given is < 1) throw new ArgumentException($"--threads must be at least 1; got {given}");
        var budget = given is { } t ? (t, "--threads") : ThreadBudget.Find(Environment.GetEnvironmentVariable);
        if (budget is not { } b) return;
        TorchSharp.torch.set_num_threads(b.Item1);
        env.Console.MarkupLine(Markup.Escape($"torch threads: {b.Item1} (from {b.Item2})"));
    }
}
