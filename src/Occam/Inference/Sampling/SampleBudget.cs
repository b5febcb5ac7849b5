using System.Globalization;

namespace Occam.Inference.Sampling;

/// <summary>Checks before a run that the samples it will keep fit in memory: at most half of what the machine has available.</summary>
public static class SampleBudget
{
    /// <summary>Throws unless <paramref name="samples"/> float32 vectors of <paramref name="values"/> values fit in half of <paramref name="availableBytes"/> (default: the machine's available memory).</summary>
    /// <exception cref="ArgumentException">They do not (ParamName: MaxSamples).</exception>
    public static void Check(long samples, long values, long? availableBytes = null)
    {
        double bytes = 4.0 * samples * values;
        long available = availableBytes ?? AvailableBytes();
        if (bytes > available / 2.0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Keeping {samples} samples of {values} values takes {bytes / (1 << 30):F2} GiB, more than half of the {available / (double)(1 << 30):F2} GiB of memory available; lower max samples or the number of chains."),
                nameof(SamplerOptions.MaxSamples));
    }

    /// <summary>The memory available to the process now (<see cref="Runtime.MemoryBudget"/>).</summary>
    public static long AvailableBytes() => Runtime.MemoryBudget.Available();
}
