using System.Globalization;

namespace Occam.Distributed;

/// <summary>
/// How many CPU threads a worker may use: Slurm's SLURM_CPUS_PER_TASK when set, else the cgroup v2 CPU limit
/// (<c>/sys/fs/cgroup/cpu.max</c>: quota / period, rounded up) when there is one, else no limit (null).
/// </summary>
public static class ThreadBudget
{
    /// <summary>The default cgroup file.</summary>
    public const string CgroupCpuMax = "/sys/fs/cgroup/cpu.max";

    /// <summary>The thread count and its source, or null when nothing limits the worker.</summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="cpuMaxFile">The cgroup cpu.max file to read.</param>
    public static (int Threads, string Source)? Find(Func<string, string?> environment, string cpuMaxFile = CgroupCpuMax)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var slurm = environment("SLURM_CPUS_PER_TASK");
        if (int.TryParse(slurm?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int cpus) && cpus > 0) return (cpus, "SLURM_CPUS_PER_TASK");
        if (File.Exists(cpuMaxFile) && FromCpuMax(File.ReadAllText(cpuMaxFile)) is { } limit) return (limit, cpuMaxFile);
        return null;
    }

    /// <summary>The CPUs a cgroup v2 <c>cpu.max</c> line ("QUOTA PERIOD", or "max PERIOD") allows, rounded up; null for "max" or an unreadable line.</summary>
    public static int? FromCpuMax(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 1 || parts[0] == "max") return null;
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long quota) || quota <= 0) return null;
        long period = 100_000;
        if (parts.Length > 1 && (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out period) || period <= 0)) return null;
        return (int)Math.Max(1, (quota + period - 1) / period);
    }
}
