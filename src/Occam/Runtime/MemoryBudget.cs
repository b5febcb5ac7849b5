namespace Occam.Runtime;

/// <summary>How much memory a run may plan for: MemAvailable on Linux, else what the .NET runtime reports as available.</summary>
public static class MemoryBudget
{
    /// <summary>Bytes of memory available now.</summary>
    public static long Available()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                        && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], out var kib))
                        return kib * 1024;
        }
        catch (IOException)
        {
            // fall through to the runtime's figure
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>Bytes as GiB with one decimal.</summary>
    public static string Format(double bytes) => FormattableString.Invariant($"{bytes / (1L << 30):F1} GiB");
}
