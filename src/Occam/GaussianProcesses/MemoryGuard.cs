using System.Globalization;

namespace Occam.GaussianProcesses;

/// <summary>Refuses dense float64 work that would not fit in the memory available now, before anything is allocated.</summary>
internal static class MemoryGuard
{
    /// <summary>
    /// N×N float64 matrices alive at once while an exact GP's log marginal likelihood and its gradient
    /// are evaluated: K, its Cholesky factor, K⁻¹, and about three autograd buffers of the kernel.
    /// </summary>
    public const int ExactGpMatrices = 6;

    /// <summary>Throws <see cref="GpTooLargeException"/> when <paramref name="matrices"/> float64 arrays of n×m would not fit.</summary>
    public static void Require(long n, long m, int matrices, string what, string advice, long? availableBytes = null)
    {
        long available = availableBytes ?? AvailableBytes();
        double required = (double)n * m * matrices * sizeof(double);
        if (required <= available) return;
        long requiredBytes = required >= long.MaxValue ? long.MaxValue : (long)required;
        throw new GpTooLargeException(string.Create(CultureInfo.InvariantCulture,
            $"{what} needs about {required / (1 << 30):F1} GiB for its {n:N0}×{m:N0} float64 matrices, but only {available / (double)(1 << 30):F1} GiB of memory is available. {advice}"),
            requiredBytes, available);
    }

    /// <summary>Refuses an exact GP on n points that would not fit, suggesting the sparse method.</summary>
    public static void RequireExactGp(long n, long? availableBytes = null) =>
        Require(n, n, ExactGpMatrices, $"An exact GP on N = {n:N0} points", "Use SparseGaussianProcess (the SGPR bound of Titsias 2009) with a few hundred inducing points instead.", availableBytes);

    /// <summary>Memory available to this process now: MemAvailable from /proc/meminfo, capped by the runtime's limit (containers).</summary>
    public static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            if (File.Exists("/proc/meminfo"))
                foreach (var line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        long kib = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        return Math.Min(limit, kib * 1024);
                    }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // fall back to the runtime's figure
        }
        return limit;
    }
}
