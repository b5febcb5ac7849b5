using System.Globalization;
using Occam.Reporting;

namespace Occam.Distributed;

/// <summary>The two Slurm submissions of a plan: the job array of workers and the combine job that waits for all of them.</summary>
/// <param name="WorkScript">The batch script each array task runs (<c>occam work --store DIR</c>; the index comes from SLURM_ARRAY_TASK_ID).</param>
/// <param name="CombineScript">The batch script of the combine job.</param>
/// <param name="ArrayArguments">sbatch's arguments for the array.</param>
/// <param name="CombineArguments">sbatch's arguments for the combine job, with <see cref="SlurmEngine.JobPlaceholder"/> where the array's job id goes.</param>
public sealed record SlurmSubmission(string WorkScript, string CombineScript, IReadOnlyList<string> ArrayArguments, IReadOnlyList<string> CombineArguments);

/// <summary>
/// Submits a plan to Slurm: <c>sbatch --array=I,J-K%M</c> of workers, then <c>occam combine</c> with
/// <c>--dependency=afterok:ARRAY --kill-on-invalid-dep=yes</c>, so the combine job runs only when every
/// task succeeded and is removed otherwise. The store and Occam must be on a file system every node sees.
/// </summary>
public static class SlurmEngine
{
    /// <summary>Stands for the array's job id in <see cref="SlurmSubmission.CombineArguments"/>.</summary>
    public const string JobPlaceholder = "{array-job}";

    /// <summary>The submission of tasks <paramref name="indices"/>: scripts (written into STORE/slurm unless <paramref name="write"/> is false) and sbatch arguments.</summary>
    /// <param name="store">The store.</param>
    /// <param name="worker">How to start Occam on the nodes.</param>
    /// <param name="indices">The tasks to run.</param>
    /// <param name="maxParallel">The most array tasks at a time (%M), or null for Slurm's choice.</param>
    /// <param name="cpusPerTask">--cpus-per-task of each worker (the worker's torch threads follow it), or null.</param>
    /// <param name="write">Whether to write the scripts (false for a dry run).</param>
    public static SlurmSubmission Prepare(TaskStore store, WorkerCommand worker, IReadOnlyList<int> indices, int? maxParallel, int? cpusPerTask, bool write)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("No tasks to submit.", nameof(indices));
        var folder = Path.Combine(store.Directory, "slurm");
        var work = Path.Combine(folder, "work.sh");
        var combine = Path.Combine(folder, "combine.sh");
        string workText = Script($"one task of the plan in {store.Directory}; the task index comes from SLURM_ARRAY_TASK_ID", worker.ShellLine("work", "--store", store.Directory));
        string combineText = Script($"combines the finished tasks of the plan in {store.Directory}", worker.ShellLine("combine", "--store", store.Directory));
        if (write)
        {
            Directory.CreateDirectory(store.LogsDirectory);
            AtomicFile.WriteAllText(work, workText);
            AtomicFile.WriteAllText(combine, combineText);
        }
        var cpus = cpusPerTask is { } c ? new[] { "--cpus-per-task=" + c.ToString(CultureInfo.InvariantCulture) } : [];
        string array = IndexRanges.Format(indices) + (maxParallel is { } m ? "%" + m.ToString(CultureInfo.InvariantCulture) : "");
        string name = "occam-" + store.Hash[..8];
        IReadOnlyList<string> arrayArgs = ["--parsable", "--job-name=" + name, "--array=" + array, .. cpus, "--chdir=" + store.Directory,
            "--output=" + Path.Combine(store.LogsDirectory, "slurm-%A_%a.log"), work];
        IReadOnlyList<string> combineArgs = ["--parsable", "--job-name=" + name + "-combine", "--dependency=afterok:" + JobPlaceholder, "--kill-on-invalid-dep=yes",
            "--chdir=" + store.Directory, "--output=" + Path.Combine(store.LogsDirectory, "slurm-%j-combine.log"), combine];
        return new SlurmSubmission(workText, combineText, arrayArgs, combineArgs);
    }

    /// <summary>Submits both jobs through <paramref name="sbatch"/> (arguments → exit code, standard output, standard error) and returns their job ids.</summary>
    /// <exception cref="OccamException">sbatch failed or printed no job id.</exception>
    public static (string ArrayJob, string CombineJob) Submit(SlurmSubmission submission, Func<IReadOnlyList<string>, (int Code, string Out, string Err)> sbatch)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(sbatch);
        var array = JobId(sbatch(submission.ArrayArguments), "the job array");
        var combine = JobId(sbatch(submission.CombineArguments.Select(a => a.Replace(JobPlaceholder, array, StringComparison.Ordinal)).ToList()), "the combine job");
        return (array, combine);
    }

    private static string JobId((int Code, string Out, string Err) result, string what)
    {
        var line = result.Out.Trim().Split('\n').FirstOrDefault()?.Trim() ?? "";
        var id = line.Split(';')[0];
        if (result.Code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new OccamException($"sbatch refused {what} (exit {result.Code}): {FirstLine(result.Err, result.Out)}");
        return id;
    }

    private static string FirstLine(params string[] texts) =>
        texts.Select(t => t.Trim().Split('\n')[0].Trim()).FirstOrDefault(t => t.Length > 0) ?? "no output";

    private static string Script(string what, string command) => $"#!/bin/sh\n# occam: {what}\nexec {command}\n";
}
