using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>A Monte Carlo estimate of a trace with its standard error (sample sd / √samples).</summary>
/// <param name="Value">The estimate.</param>
/// <param name="StandardError">Its standard error.</param>
/// <param name="Samples">Probe vectors used.</param>
public sealed record TraceEstimate(double Value, double StandardError, int Samples);

/// <summary>
/// Hutchinson's trace estimator (Hutchinson 1990): tr(A) = E[zᵀ A z] for Rademacher z, whose variance
/// 2 Σ_{i≠j} A²ᵢⱼ is the smallest among probes with independent entries. One operator product per sample.
/// </summary>
public static class HutchinsonTrace
{
    /// <summary>Estimates tr(<paramref name="op"/>) from <paramref name="samples"/> Rademacher probes.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 samples (no standard error).</exception>
    public static TraceEstimate Estimate(CurvatureOperator op, int samples = 100, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (samples < 2) throw new ArgumentException($"Hutchinson's estimator needs at least 2 samples; got {samples}.", nameof(samples));
        var values = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            using var scope = NewDisposeScope();
            var z = Probes.Rademacher(op.Size, generator);
            values[s] = z.dot(op.Multiply(z)).item<double>();
        }
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (samples - 1);
        return new TraceEstimate(mean, Math.Sqrt(variance / samples), samples);
    }
}
