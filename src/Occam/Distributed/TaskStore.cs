using System.Diagnostics;
using System.Text.Json;
using Occam.Data;
using Occam.Reporting;

namespace Occam.Distributed;

/// <summary>
/// A folder shared by every worker of a plan: <c>plan.json</c> (the plan and its hash), <c>tasks/I/</c> for
/// each finished task (its output and <c>done.json</c>), <c>tasks/I.tmp-PID/</c> while a worker writes, and
/// <c>logs/</c>. A task folder appears by one atomic rename, done marker included, so a task is either done
/// or missing, never half written; a task written for another plan is refused by hash.
/// </summary>
public sealed class TaskStore
{
    /// <summary>The plan's file name.</summary>
    public const string PlanFileName = "plan.json";

    private TaskStore(string directory, Plan plan, string hash)
    {
        Directory = directory;
        Plan = plan;
        Hash = hash;
    }

    /// <summary>The store's folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The plan.</summary>
    public Plan Plan { get; }

    /// <summary>The plan's hash.</summary>
    public string Hash { get; }

    /// <summary>The folder of the task outputs.</summary>
    public string TasksDirectory => Path.Combine(Directory, "tasks");

    /// <summary>The folder of the workers' logs.</summary>
    public string LogsDirectory => Path.Combine(Directory, "logs");

    /// <summary>The finished output folder of task <paramref name="index"/>.</summary>
    public string TaskDirectory(int index) => Path.Combine(TasksDirectory, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes <paramref name="plan"/> into <paramref name="directory"/> (created when missing). A folder that
    /// already holds this very plan is reused (its finished tasks stay); one holding another plan, or files
    /// that are not a task store, is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The folder is a file or holds other files (ParamName "store").</exception>
    /// <exception cref="PlanMismatchException">The folder holds another plan.</exception>
    public static TaskStore Create(string directory, Plan plan)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        var full = Path.GetFullPath(directory);
        var hash = plan.Hash();
        if (File.Exists(full)) throw new ArgumentException($"--store {directory} is a file; expected a folder", "store");
        if (File.Exists(Path.Combine(full, PlanFileName)))
        {
            var existing = Open(full);
            if (existing.Hash != hash)
                throw new PlanMismatchException($"--store {directory} already holds another plan (hash {existing.Hash[..12]}…, this one {hash[..12]}…); choose a new folder");
            return existing;
        }
        if (System.IO.Directory.Exists(full) && System.IO.Directory.EnumerateFileSystemEntries(full).Any())
            throw new ArgumentException($"--store {directory} holds files but no {PlanFileName}; choose a new or empty folder", "store");
        System.IO.Directory.CreateDirectory(full);
        var stored = new StoredPlan(plan.Format, plan.Command, plan.Arguments, plan.Seed, plan.Tasks, hash);
        AtomicFile.WriteAllText(Path.Combine(full, PlanFileName), JsonSerializer.Serialize(stored, StoreJson.Indented) + "\n");
        return new TaskStore(full, plan, hash);
    }

    /// <summary>Opens the store in <paramref name="directory"/>, checking plan.json against its hash.</summary>
    /// <exception cref="ArgumentException">No plan.json there (ParamName "store").</exception>
    /// <exception cref="DataFormatException">plan.json is not a plan of this format.</exception>
    /// <exception cref="PlanMismatchException">plan.json was changed after planning.</exception>
    public static TaskStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        var file = Path.Combine(full, PlanFileName);
        if (!File.Exists(file)) throw new ArgumentException($"--store {directory} holds no {PlanFileName}; create it with occam plan", "store");
        StoredPlan? stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredPlan>(File.ReadAllText(file), StoreJson.Indented);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(file, (int?)(e.LineNumber + 1), null, $"not a plan ({e.Message.Split('.')[0]})");
        }
        if (stored is null || stored.Command is null || stored.Arguments is null || stored.Tasks is null || stored.Hash is null)
            throw new DataFormatException(file, null, null, "not a plan: expected format, command, arguments, seed, tasks and hash");
        if (stored.Format != Plan.CurrentFormat)
            throw new DataFormatException(file, null, null, $"plan format {stored.Format}; this Occam reads format {Plan.CurrentFormat}");
        var plan = new Plan(stored.Format, stored.Command, stored.Arguments, stored.Seed, stored.Tasks);
        try
        {
            plan.Validate();
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(file, null, null, e.Message.Split(" (Parameter")[0]);
        }
        var hash = plan.Hash();
        if (!string.Equals(hash, stored.Hash, StringComparison.Ordinal))
            throw new PlanMismatchException($"{file} does not match its hash {Short(stored.Hash)} (its content hashes to {Short(hash)}): it was changed after planning; plan again into a new folder");
        return new TaskStore(full, plan, hash);
    }

    /// <summary>Refuses an index outside 0..N−1.</summary>
    /// <exception cref="ArgumentException">The index is out of range (ParamName "task").</exception>
    public void CheckIndex(int index)
    {
        if (index < 0 || index >= Plan.Count)
            throw new ArgumentException($"--task {index} is outside this plan's tasks 0..{Plan.Count - 1}", "task");
    }

    /// <summary>The done marker of task <paramref name="index"/>, or null when the task is not done.</summary>
    /// <exception cref="PlanMismatchException">The task's output belongs to another plan or task.</exception>
    public TaskMarker? Marker(int index)
    {
        CheckIndex(index);
        var file = Path.Combine(TaskDirectory(index), TaskMarker.FileName);
        if (!File.Exists(file)) return null;
        TaskMarker? marker;
        try
        {
            marker = JsonSerializer.Deserialize<TaskMarker>(File.ReadAllText(file), StoreJson.Indented);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(file, null, null, $"not a done marker ({e.Message.Split('.')[0]})");
        }
        if (marker?.PlanHash is null) throw new DataFormatException(file, null, null, "not a done marker: expected plan_hash, task and seconds");
        if (marker.PlanHash != Hash)
            throw new PlanMismatchException($"{file} belongs to another plan (hash {Short(marker.PlanHash)}, this store's plan {Short(Hash)}); remove tasks/{index} and run the task again");
        if (marker.Task != index)
            throw new PlanMismatchException($"{file} is the output of task {marker.Task}, not of task {index}; remove tasks/{index} and run the task again");
        return marker;
    }

    /// <summary>The finished tasks, in order.</summary>
    public IReadOnlyList<int> Done() => Enumerable.Range(0, Plan.Count).Where(i => Marker(i) is not null).ToList();

    /// <summary>The tasks not finished yet, in order.</summary>
    public IReadOnlyList<int> Missing() => Enumerable.Range(0, Plan.Count).Where(i => Marker(i) is null).ToList();

    /// <summary>The done markers of every task, in order.</summary>
    /// <exception cref="IncompleteStoreException">Some tasks are not done; the message names them.</exception>
    public IReadOnlyList<TaskMarker> RequireComplete()
    {
        var markers = Enumerable.Range(0, Plan.Count).Select(Marker).ToList();
        var missing = markers.Select((m, i) => (m, i)).Where(x => x.m is null).Select(x => x.i).ToList();
        if (missing.Count > 0) throw new IncompleteStoreException(this, missing);
        return markers!;
    }

    /// <summary>A fresh private folder for a worker to write task <paramref name="index"/> into (tasks/I.tmp-PID).</summary>
    public string Begin(int index)
    {
        CheckIndex(index);
        var temp = Path.Combine(TasksDirectory, $"{index}.tmp-{Environment.ProcessId}");
        if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        System.IO.Directory.CreateDirectory(temp);
        return temp;
    }

    /// <summary>
    /// Writes the done marker into <paramref name="temp"/> and renames it to tasks/I in one step. When another
    /// worker finished the same task first, its output stays and <paramref name="temp"/> is removed.
    /// </summary>
    /// <returns>True when this worker's output became the task's.</returns>
    public bool Commit(int index, string temp, double seconds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(temp);
        File.WriteAllText(Path.Combine(temp, TaskMarker.FileName), JsonSerializer.Serialize(new TaskMarker(Hash, index, seconds), StoreJson.Indented) + "\n");
        var target = TaskDirectory(index);
        try
        {
            System.IO.Directory.Move(temp, target);
            return true;
        }
        catch (IOException) when (Marker(index) is not null)
        {
            System.IO.Directory.Delete(temp, recursive: true);
            return false;
        }
    }

    /// <summary>Removes a worker's unfinished folder.</summary>
    public static void Abandon(string temp)
    {
        try
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        }
        catch (IOException e)
        {
            Trace.TraceWarning($"could not remove {temp}: {e.Message}");
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private sealed record StoredPlan(int Format, string Command, IReadOnlyList<string> Arguments, long Seed, IReadOnlyList<PlanTask> Tasks, string Hash);
}
