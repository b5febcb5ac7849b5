namespace Occam.GaussianProcesses.Classification;

/// <summary>Options of Expectation Propagation for binary probit classification (Rasmussen &amp; Williams 2006, Alg. 3.5).</summary>
public sealed record EpOptions
{
    /// <summary>The most sweeps over all sites (default 100).</summary>
    public int MaxSweeps { get; init; } = 100;

    /// <summary>EP stops when no site parameter (τ̃, ν̃) changes by more than this in a sweep (default 1e-9).</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>The Cholesky jitter schedule.</summary>
    public JitterSchedule Jitter { get; init; } = JitterSchedule.Default;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public EpOptions Validate()
    {
        if (MaxSweeps < 1) throw new ArgumentException($"EpOptions.MaxSweeps must be at least 1; got {MaxSweeps}.", nameof(MaxSweeps));
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentException($"EpOptions.Tolerance must be positive and finite; got {Tolerance}.", nameof(Tolerance));
        if (Jitter is null) throw new ArgumentException("EpOptions.Jitter must not be null.", nameof(Jitter));
        Jitter.Validate();
        return this;
    }
}
