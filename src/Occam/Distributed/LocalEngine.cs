using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Occam.Distributed;

/// <summary>How one worker process ended.</summary>
/// <param name="Worker">The worker's number, 0..M−1.</param>
/// <param name="Tasks">The tasks it ran, in order.</param>
/// <param name="ExitCode">Its exit code (0: every task done).</param>
/// <param name="Log">The file holding its standard output and error.</param>
public sealed record WorkerOutcome(int Worker, IReadOnlyList<int> Tasks, int ExitCode, string Log);

/// <summary>
/// Runs a plan's tasks on this machine in M worker processes at once: worker w runs
/// <c>occam work --store DIR --tasks LIST</c> over every M-th task from the w-th, one after another, so libtorch
/// loads and the code compiles once per worker rather than once per task. A failed task does not stop the
/// worker's other tasks. Each worker's output goes to <c>logs/worker-W.log</c> in the store.
/// </summary>
public static class LocalEngine
{
    /// <summary>Runs the tasks <paramref name="indices"/> and returns how each worker ended, in worker order.</summary>
    /// <param name="store">The store.</param>
    /// <param name="worker">How to start Occam.</param>
    /// <param name="indices">The tasks to run.</param>
    /// <param name="maxParallel">The number of workers M (≥ 1; fewer when there are fewer tasks).</param>
    /// <param name="threadsPerTask">Torch threads of each worker (its --threads), or null for the worker's own choice.</param>
    /// <param name="report">Receives one line per finished worker.</param>
    /// <param name="cancellation">Ends the running workers.</param>
    public static IReadOnlyList<WorkerOutcome> Run(TaskStore store, WorkerCommand worker, IReadOnlyList<int> indices, int maxParallel, int? threadsPerTask,
        Action<string>? report = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        Directory.CreateDirectory(store.LogsDirectory);
        int workers = Math.Min(maxParallel, indices.Count);
        var shares = Enumerable.Range(0, workers).Select(w => indices.Where((_, i) => i % workers == w).ToList()).ToList();
        var outcomes = new ConcurrentBag<WorkerOutcome>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellation };
        Parallel.For(0, workers, options, w =>
        {
            var outcome = RunWorker(store, worker, w, shares[w], threadsPerTask, cancellation);
            outcomes.Add(outcome);
            report?.Invoke(outcome.ExitCode == 0 ? $"worker {w}: tasks {IndexRanges.Format(outcome.Tasks)} done"
                : $"worker {w}: exit code {outcome.ExitCode} (see {outcome.Log})");
        });
        return outcomes.OrderBy(o => o.Worker).ToList();
    }

    private static WorkerOutcome RunWorker(TaskStore store, WorkerCommand worker, int number, IReadOnlyList<int> tasks, int? threads, CancellationToken cancellation)
    {
        var log = Path.Combine(store.LogsDirectory, $"worker-{number}.log");
        string[] args = ["work", "--store", store.Directory, "--tasks", string.Join(",", tasks.Select(t => t.ToString(CultureInfo.InvariantCulture))),
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
            throw new OccamException($"cannot start {worker.Executable} for worker {number}: {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellation.Register(() => Kill(process)))
            process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        return new WorkerOutcome(number, tasks, process.ExitCode, log);
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
