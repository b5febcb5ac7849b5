using Occam.Data;
using Occam.Distributed;
using Occam.Evaluation;
using Occam.Reporting;

namespace Occam.Cli;

/// <summary>
/// A planned <c>bench mnist</c>: each task fits and scores one method and writes its rows (tasks/I/rows.json);
/// combining writes the results.json and results.md that the single-process command writes, the rows in the order
/// of --methods (the fit and predict wall times are each task's own).
/// </summary>
internal static class PlannedMnist
{
    private const string RowsFile = "rows.json";

    /// <summary>Runs MNIST method task <paramref name="task"/> into <paramref name="directory"/>.</summary>
    public static void Run(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseBenchMnist(env, store);
        var request = args.Read(parsed);
        var run = request.Runs.Where((r, i) => Commands.PlanCommand.MnistTask(i, r, request.Options.Seed) == task).FirstOrDefault()
            ?? throw PlannedWork.Unknown(store, task);
        var (train, test, ood) = request.Load();
        using (train)
        using (test)
        using (ood)
        {
            var rows = Commands.BenchMnistCommand.RunMethod(env, request, run, train, test, ood);
            JsonReport.Write(Path.Combine(directory, RowsFile), rows);
        }
    }

    /// <summary>Writes the benchmark's report from every task's rows into <paramref name="directory"/>.</summary>
    public static void Combine(CliEnvironment env, TaskStore store, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseBenchMnist(env, store);
        var request = args.Read(parsed);
        if (!request.Runs.Select((r, i) => Commands.PlanCommand.MnistTask(i, r, request.Options.Seed)).SequenceEqual(store.Plan.Tasks))
            throw new DataFormatException(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null, "the tasks are not one per method of the planned arguments");
        var rows = new List<MnistRow>();
        for (int i = 0; i < request.Runs.Count; i++)
            rows.AddRange(ReadRows(store, store.Plan.Tasks[i], request.Runs[i], request.OodDir is not null));
        var sizes = rows.Select(r => (r.TrainSize, r.TestSize, r.OodSize)).Distinct().ToList();
        if (sizes.Count > 1)
            throw new DataFormatException(store.TasksDirectory, null, null, $"the tasks scored different data (training, test and OOD images: {string.Join("; ", sizes)})");
        Commands.BenchMnistCommand.Report(env, directory, request, rows);
    }

    private static List<MnistRow> ReadRows(TaskStore store, PlanTask task, MethodRun run, bool ood)
    {
        var file = Path.Combine(store.TaskDirectory(task.Index), RowsFile);
        var rows = PlannedWork.ReadJson<List<MnistRow>>(file, "the rows of an MNIST method");
        var labels = run.Predictions.Select(p => p.Label).ToList();
        if (rows is null || !rows.Select(r => r.Method).SequenceEqual(labels))
            throw new DataFormatException(file, null, null, $"expected the rows of {string.Join(", ", labels)}");
        if (rows.Any(r => r.OodSize is null == ood))
            throw new DataFormatException(file, null, null, ood ? "rows without the OOD scores the plan asks for" : "rows with OOD scores the plan leaves out");
        return rows;
    }
}
