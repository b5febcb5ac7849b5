namespace Occam.Geometry;

/// <summary>Settings of a curvature summary (<see cref="GeometryAnalysis"/>).</summary>
public sealed record GeometryOptions
{
    /// <summary>Top eigenvalues k found by Lanczos (default 20).</summary>
    public int TopK { get; init; } = 20;

    /// <summary>Lanczos steps for the top eigenvalues (null: min(P, 2k + 20)).</summary>
    public int? TopSteps { get; init; }

    /// <summary>Probes of stochastic Lanczos quadrature (default 10).</summary>
    public int DensityProbes { get; init; } = 10;

    /// <summary>Lanczos steps per quadrature probe (default 60; at most P is used).</summary>
    public int DensitySteps { get; init; } = 60;

    /// <summary>Rademacher samples of Hutchinson's trace estimate (default 50).</summary>
    public int TraceSamples { get; init; } = 50;

    /// <summary>Examples per curvature-product batch (default 512).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Seed of the random start and probe vectors.</summary>
    public long Seed { get; init; }

    /// <summary>Checks the settings against an operator of dimension <paramref name="parameters"/>; throws <see cref="ArgumentException"/> naming the setting.</summary>
    public void Validate(long parameters)
    {
        if (TopK < 1 || TopK > parameters)
            throw new ArgumentException($"the number of top eigenvalues k must lie in 1..P, the network's {parameters} weights; got {TopK}", nameof(TopK));
        if (TopSteps is { } s && (s < TopK || s > parameters))
            throw new ArgumentException($"Lanczos steps must lie in k = {TopK}..P = {parameters}; got {s}", nameof(TopSteps));
        if (DensityProbes < 1) throw new ArgumentException($"quadrature probes must be at least 1; got {DensityProbes}", nameof(DensityProbes));
        if (DensitySteps < 1) throw new ArgumentException($"quadrature steps must be at least 1; got {DensitySteps}", nameof(DensitySteps));
        if (TraceSamples < 2) throw new ArgumentException($"trace samples must be at least 2; got {TraceSamples}", nameof(TraceSamples));
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be at least 1; got {BatchSize}", nameof(BatchSize));
    }
}
