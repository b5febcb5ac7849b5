using Occam.Active;
using Occam.Data;
using Occam.Distributed;

namespace Occam.Cli;

/// <summary>
/// A planned <c>active</c> run: each task runs one (acquisition function, seed) pair, saving its state after every round
/// under STORE/state/I (so a task that is stopped and rerun resumes from its last round, as <c>occam active</c> does),
/// and keeps the finished run's state file (tasks/I/state); combining gathers the finished runs, ordered by acquisition
/// and then seed, and writes the report that the single-process command writes (the wall times are each task's own).
/// </summary>
internal static class PlannedActive
{
    private const string StateFolder = "state";

    /// <summary>The tasks of <paramref name="request"/>: one per (seed, acquisition), seed-major as the single process runs them.</summary>
    public static List<PlanTask> Tasks(ActiveRequest request) =>
        request.Seeds.SelectMany(seed => request.Acquisitions.Select(a => (seed, a.Name)))
            .Select((pair, i) => new PlanTask(i, PlanTaskKind.ActiveRun, pair.seed, $"{pair.Name} seed {pair.seed}", Acquisition: pair.Name))
            .ToList();

    /// <summary>Runs (or resumes) active-learning task <paramref name="task"/> and writes its finished state into <paramref name="directory"/>.</summary>
    public static void Run(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseActive(env, store);
        using var request = args.Read(parsed);
        if (!Tasks(request).Contains(task)) throw PlannedWork.Unknown(store, task);
        var acquisition = request.Acquisitions.Single(a => a.Name == task.Acquisition);
        var stateRoot = Path.Combine(store.Directory, StateFolder, task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Commands.ActiveCommand.RunExperiment(env, request, request.Experiment(stateRoot, acquisition, task.Seed));
        var finished = StateFile(stateRoot, task);
        var kept = StateFile(Path.Combine(directory, StateFolder), task);
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Copy(finished, kept);
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
            var file = StateFile(Path.Combine(store.TaskDirectory(task.Index), StateFolder), task);
            var run = ActiveStateStore.ReadFinished(Path.GetDirectoryName(file)!)
                ?? throw new DataFormatException(file, null, null, $"no finished run of {task.Label}");
            if (run.Acquisition != task.Acquisition || run.Seed != task.Seed || run.Method != request.Fitter.Name)
                throw new DataFormatException(file, null, null, $"a run of {run.Method} with {run.Acquisition}, seed {run.Seed}; expected {request.Fitter.Name} with {task.Label}");
            return run;
        }).OrderBy(r => names.IndexOf(r.Acquisition)).ThenBy(r => r.Seed).ToList();
        Commands.ActiveCommand.Report(env, directory, request, runs);
    }

    private static string StateFile(string root, PlanTask task) =>
        Path.Combine(ActiveLearningExperiment.StateDirectory(root, task.Acquisition!, task.Seed), ActiveStateStore.StateFile);
}
