using System.CommandLine;
using System.Diagnostics;
using Occam.Distributed;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>Where <c>occam launch</c> runs the tasks.</summary>
public enum Engine
{
    /// <summary>Child processes on this machine, then combine.</summary>
    Local,

    /// <summary>A Slurm job array and a combine job that depends on it.</summary>
    Slurm,

    /// <summary>A Kubernetes Indexed Job.</summary>
    K8s,
}

/// <summary><c>occam launch --store DIR --engine local|slurm|k8s</c>: runs a plan's tasks on this machine, on Slurm or on Kubernetes.</summary>
public static class LaunchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var store = new Option<string>("--store") { Description = "Folder holding plan.json (on a file system every worker sees)", Required = true };
        var engine = new Option<Engine>("--engine") { Description = "local (child processes, then combine), slurm (job array + combine job) or k8s (Indexed Job manifest)", DefaultValueFactory = _ => Engine.Local };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run or be submitted; start nothing" };
        var onlyMissing = new Option<bool>("--only-missing") { Description = "Run only the tasks not done yet" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "Most tasks at a time (local: worker processes, default 1; Slurm: the array's %M; k8s: parallelism, default all)" };
        var threads = new Option<int?>("--threads") { Description = "local: torch threads of each worker (default: the worker's own choice)" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "slurm, k8s: CPUs of each worker (its torch threads follow them)" };
        var image = new Option<string>("--image") { Description = "k8s: container image with occam on its PATH", DefaultValueFactory = _ => "occam:latest" };
        var claim = new Option<string>("--pvc") { Description = "k8s: ReadWriteMany PersistentVolumeClaim holding the store at the same path", DefaultValueFactory = _ => "occam-store" };
        var backoff = new Option<int>("--backoff-limit-per-index") { Description = "k8s: retries of each task", DefaultValueFactory = _ => 1 };
        var command = new Command("launch", "Run a plan's tasks: locally as child processes, as a Slurm job array, or as a Kubernetes Indexed Job")
        {
            store, engine, dryRun, onlyMissing, maxParallel, threads, cpus, image, claim, backoff,
        };
        command.SetAction(parsed =>
        {
            var tasks = TaskStore.Open(parsed.GetValue(store)!);
            if (parsed.GetValue(maxParallel) is < 1) throw new ArgumentException($"--max-parallel must be at least 1; got {parsed.GetValue(maxParallel)}");
            if (parsed.GetValue(threads) is < 1) throw new ArgumentException($"--threads must be at least 1; got {parsed.GetValue(threads)}");
            if (parsed.GetValue(cpus) is < 1) throw new ArgumentException($"--cpus-per-task must be at least 1; got {parsed.GetValue(cpus)}");
            if (parsed.GetValue(backoff) < 0) throw new ArgumentException($"--backoff-limit-per-index must be at least 0; got {parsed.GetValue(backoff)}");
            var indices = parsed.GetValue(onlyMissing) ? tasks.Missing() : Enumerable.Range(0, tasks.Plan.Count).ToList();
            bool dry = parsed.GetValue(dryRun);
            var worker = OccamProcess.Current();
            return parsed.GetValue(engine) switch
            {
                Engine.Local => Local(env, tasks, worker, indices, parsed.GetValue(maxParallel) ?? 1, parsed.GetValue(threads), dry),
                Engine.Slurm => Slurm(env, tasks, worker, indices, parsed.GetValue(maxParallel), parsed.GetValue(cpus), dry),
                _ => Kubernetes(env, tasks, parsed.GetValue(maxParallel), parsed.GetValue(cpus), parsed.GetValue(image)!, parsed.GetValue(claim)!, parsed.GetValue(backoff), dry),
            };
        });
        return command;
    }

    private static int Local(CliEnvironment env, TaskStore tasks, WorkerCommand worker, IReadOnlyList<int> indices, int maxParallel, int? threads, bool dry)
    {
        int workers = Math.Min(maxParallel, indices.Count);
        if (dry)
        {
            for (int w = 0; w < workers; w++)
                env.Console.WriteLine(worker.ShellLine(["work", "--store", tasks.Directory, "--tasks", string.Join(",", indices.Where((_, i) => i % workers == w)),
                    .. threads is { } t ? new[] { "--threads", t.ToString(System.Globalization.CultureInfo.InvariantCulture) } : []]));
            env.Console.WriteLine(worker.ShellLine("combine", "--store", tasks.Directory));
            return 0;
        }
        if (indices.Count > 0)
        {
            env.Console.MarkupLine(Markup.Escape($"running {indices.Count} task{(indices.Count == 1 ? "" : "s")} locally in {workers} worker process{(workers == 1 ? "" : "es")}; logs in {tasks.LogsDirectory}"));
            var outcomes = LocalEngine.Run(tasks, worker, indices, maxParallel, threads, line => env.Console.MarkupLine(Markup.Escape(line)), env.Cancellation);
            var failed = tasks.Missing().Intersect(indices).ToList();
            if (failed.Count > 0)
            {
                var logs = outcomes.Where(o => o.Tasks.Intersect(failed).Any()).ToList();
                throw new OccamException($"task{(failed.Count == 1 ? "" : "s")} {IndexRanges.Format(failed)} failed (exit {string.Join(", ", logs.Select(o => o.ExitCode).Distinct())}; "
                    + $"see {string.Join(", ", logs.Select(o => o.Log))}); rerun with occam launch --store {tasks.Directory} --only-missing");
            }
        }
        CombineCommand.Run(env, tasks, null);
        return 0;
    }

    private static int Slurm(CliEnvironment env, TaskStore tasks, WorkerCommand worker, IReadOnlyList<int> indices, int? maxParallel, int? cpus, bool dry)
    {
        if (indices.Count == 0)
        {
            env.Console.MarkupLine(Markup.Escape($"every task is done; combine with: occam combine --store {tasks.Directory}"));
            return 0;
        }
        var sbatch = WorkerCommand.FindOnPath("sbatch");
        if (sbatch is null && !dry) throw new OccamException("--engine slurm: sbatch is not on PATH (install Slurm's client commands and set SLURM_CONF, or use --engine local)");
        var submission = SlurmEngine.Prepare(tasks, worker, indices, maxParallel, cpus, write: !dry);
        if (dry)
        {
            env.Console.WriteLine("sbatch " + string.Join(" ", submission.ArrayArguments.Select(WorkerCommand.Quote)));
            env.Console.WriteLine("sbatch " + string.Join(" ", submission.CombineArguments.Select(WorkerCommand.Quote)));
            env.Console.WriteLine("# work.sh\n" + submission.WorkScript + "# combine.sh\n" + submission.CombineScript);
            return 0;
        }
        var (array, combine) = SlurmEngine.Submit(submission, args => Execute(sbatch!, args));
        AtomicFile.WriteAllText(Path.Combine(tasks.Directory, "slurm", "jobs.json"), $"{{\"array_job\": \"{array}\", \"combine_job\": \"{combine}\"}}\n");
        env.Console.MarkupLine(Markup.Escape($"submitted job array {array} (tasks {IndexRanges.Format(indices)}) and combine job {combine} (runs when every task succeeded); logs in {tasks.LogsDirectory}"));
        return 0;
    }

    private static int Kubernetes(CliEnvironment env, TaskStore tasks, int? maxParallel, int? cpus, string image, string claim, int backoff, bool dry)
    {
        var settings = new KubernetesJobSettings("occam-" + tasks.Hash[..12], tasks.Directory, ["occam", "work", "--store", tasks.Directory], tasks.Plan.Count,
            maxParallel ?? tasks.Plan.Count, backoff, image, claim, cpus);
        var yaml = YamlText.Write(KubernetesJob.Manifest(settings));
        var file = Path.Combine(tasks.Directory, "k8s-job.yaml");
        if (dry)
        {
            env.Console.Profile.Out.Writer.Write(yaml);
            return 0;
        }
        AtomicFile.WriteAllText(file, yaml);
        var kubectl = WorkerCommand.FindOnPath("kubectl");
        if (kubectl is null)
        {
            env.Console.MarkupLine(Markup.Escape($"wrote {file}; kubectl is not on PATH, so apply it where it is: kubectl apply -f {file}; then occam combine --store {tasks.Directory}"));
            return 0;
        }
        var (code, output, error) = Execute(kubectl, ["apply", "-f", file]);
        if (code != 0) throw new OccamException($"kubectl apply -f {file} failed (exit {code}): {(error.Trim().Length > 0 ? error : output).Trim().Split('\n')[0]}");
        env.Console.MarkupLine(Markup.Escape($"{output.Trim()}; when the Job completes: occam combine --store {tasks.Directory}"));
        return 0;
    }

    private static (int Code, string Out, string Err) Execute(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new OccamException($"cannot start {program}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
