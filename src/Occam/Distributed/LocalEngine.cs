using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Occam.Distributed;

/// <summary>How one task's worker process ended.</summary>
/// <param name="Index">The task index.</param>
/// <param name="ExitCode">The worker's exit code (0: done).</param>
/// <param name="Log">The file holding the worker's standard output and error.</param>
public sealed record TaskOutcome(int Index, int ExitCode, string Log);

/// <summary>
/// Runs a plan's tasks on this machine, each as its own <c>occam work --store DIR --task I</c> process, at most
/// M at a time; each worker's output goes to <c>logs/task-I.log</c> in the store.
/// </summary>
public static class LocalEngine
{
    /// <summary>Runs the tasks <paramref name="indices"/> and returns how each ended, in index order.</summary>
    /// <param name="store">The store.</param>
    /// <param name="worker">How to start Occam.</param>
    /// <param name="indices">The tasks to run.</param>
    /// <param name="maxParallel">The most workers at a time (≥ 1).</param>
    /// <param name="threadsPerTask">Torch threads of each worker (its --threads), or null for the worker's own choice.</param>
    /// <param name="report">Receives one line per finished task.</param>
    /// <param name="cancellation">Ends the running workers and stops starting new ones.</param>
    public static IReadOnlyList<TaskOutcome> Run(TaskStore store, WorkerCommand worker, IReadOnlyList<int> indices, int maxParallel, int? threadsPerTask,
        Action<string>? report = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        Directory.CreateDirectory(store.LogsDirectory);
        var outcomes = new ConcurrentBag<TaskOutcome>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellation };
        Parallel.ForEach(indices, options, index =>
        {
            var outcome = RunOne(store, worker, index, threadsPerTask, cancellation);
            outcomes.Add(outcome);
            report?.Invoke(outcome.ExitCode == 0 ? $"task {index}: done" : $"task {index}: failed with exit code {outcome.ExitCode} (see {outcome.Log})");
        });
        return outcomes.OrderBy(o => o.Index).ToList();
    }

    private static TaskOutcome RunOne(TaskStore store, WorkerCommand worker, int index, int? threads, CancellationToken cancellation)
    {
        var log = Path.Combine(store.LogsDirectory, $"task-{index}.log");
        string[] args = ["work", "--store", store.Directory, "--task", index.ToString(CultureInfo.InvariantCulture),
            .. threads is { } t ? new[] { "--threads", t.ToString(CultureInfo.InvariantCulture) } : []];
        var start = new ProcessStartInfo(worker.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in worker.Arguments(args)) start.ArgumentList.Add(a);
        using var writer = new StreamWriter(log, append: false);
        var gate = new object();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) writer.WriteLine(line);
        }
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OccamException($"cannot start {worker.Executable} for task {index}: {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellation.Register(() => Kill(process)))
            process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        return new TaskOutcome(index, process.ExitCode, log);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it has already ended
        }
    }
}
