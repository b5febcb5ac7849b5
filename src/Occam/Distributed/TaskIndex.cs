using System.Globalization;

namespace Occam.Distributed;

/// <summary>Which task a worker runs: --task when given, else the Slurm array index, else the Kubernetes Indexed Job's completion index.</summary>
public static class TaskIndex
{
    /// <summary>The environment variables read, in order.</summary>
    public static readonly IReadOnlyList<string> Variables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>The task index and where it came from ("--task" or the variable's name).</summary>
    /// <param name="given">The --task value, or null.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <exception cref="ArgumentException">No index anywhere, or a variable that is not a non-negative integer (ParamName "task").</exception>
    public static (int Index, string Source) Resolve(int? given, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given is { } task) return (task, "--task");
        foreach (var name in Variables)
        {
            var text = environment(name);
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw new ArgumentException($"{name}={text} is not a task index (expected a non-negative integer)", "task");
            return (index, name);
        }
        throw new ArgumentException("no task index: give --task I, or run under a Slurm job array (SLURM_ARRAY_TASK_ID) or an Indexed Kubernetes Job (JOB_COMPLETION_INDEX)", "task");
    }
}
