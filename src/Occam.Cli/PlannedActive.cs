using Occam.Active;
using Occam.Data;
using Occam.Distributed;

namespace Occam.Cli;

/// <summary>
/// A planned <c>active</c> run: each task runs one (acquisition function, seed) pair and keeps its saved state
/// (tasks/I/state); combining gathers the finished runs, ordered by acquisition and then seed, and writes the
/// report that the single-process command writes (the wall times are each task's own).
/// </summary>
internal static class PlannedActive
{
    private const string StateFolder = "state";

    /// <summary>The tasks of <paramref name="request"/>: one per (seed, acquisition), seed-major as the single process runs them.</summary>
    public static List<PlanTask> Tasks(ActiveRequest request) =>
        request.Seeds.SelectMany(seed => request.Acquisitions.Select(a => (seed, a.Name)))
            .Select((pair, i) => new PlanTask(i, PlanTaskKind.ActiveRun, pair.seed, $"{pair.Name} seed {pair.seed}", Acquisition: pair.Name))
            .ToList();

    /// <summary>Runs active-learning task <paramref name="task"/> into <paramref name="directory"/>.</summary>
    public static void Run(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseActive(env, store);
        using var request = args.Read(parsed);
        if (!Tasks(request).Contains(task)) throw PlannedWork.Unknown(store, task);
        var acquisition = request.Acquisitions.Single(a => a.Name == task.Acquisition);
        var one = request with { Acquisitions = [acquisition], Seeds = [task.Seed] };
        Commands.ActiveCommand.RunExperiment(env, one, one.Experiment(Path.Combine(directory, StateFolder)));
    }

    /// <summary>Writes the report of every task's finished run into <paramref name="directory"/>.</summary>
    public static void Combine(CliEnvironment env, TaskStore store, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseActive(env, store);
        using var request = args.Read(parsed);
        if (!Tasks(request).SequenceEqual(store.Plan.Tasks))
            throw new DataFormatException(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null, "the tasks are not one per seed and acquisition function of the planned arguments");
        var names = request.Acquisitions.Select(a => a.Name).ToList();
        var runs = store.Plan.Tasks.Select(task =>
        {
            var folder = ActiveLearningExperiment.StateDirectory(Path.Combine(store.TaskDirectory(task.Index), StateFolder), task.Acquisition!, task.Seed);
            return ActiveStateStore.ReadFinished(folder)
                ?? throw new DataFormatException(Path.Combine(folder, ActiveStateStore.StateFile), null, null, $"no finished run of {task.Label}");
        }).OrderBy(r => names.IndexOf(r.Acquisition)).ThenBy(r => r.Seed).ToList();
        Commands.ActiveCommand.Report(env, directory, request, runs);
    }
}
