namespace Occam.GaussianProcesses.Classification;

/// <summary>Options of the multi-class Laplace classifier (Rasmussen &amp; Williams 2006, Alg. 3.3 and 3.4).</summary>
public sealed record MulticlassLaplaceOptions
{
    /// <summary>The most Newton steps (default 100).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Newton stops when Ψ changes by less than this (default 1e-10).</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Latent samples per input for the predictive class probabilities (default 2000).</summary>
    public int MonteCarloSamples { get; init; } = 2000;

    /// <summary>Seed of the latent samples; every prediction restarts from it, so the same input gives the same probabilities (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>The Cholesky jitter schedule.</summary>
    public JitterSchedule Jitter { get; init; } = JitterSchedule.Default;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public MulticlassLaplaceOptions Validate()
    {
        if (MaxIterations < 1) throw new ArgumentException($"MulticlassLaplaceOptions.MaxIterations must be at least 1; got {MaxIterations}.", nameof(MaxIterations));
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentException($"MulticlassLaplaceOptions.Tolerance must be positive and finite; got {Tolerance}.", nameof(Tolerance));
        if (MonteCarloSamples < 1) throw new ArgumentException($"MulticlassLaplaceOptions.MonteCarloSamples must be at least 1; got {MonteCarloSamples}.", nameof(MonteCarloSamples));
        if (Jitter is null) throw new ArgumentException("MulticlassLaplaceOptions.Jitter must not be null.", nameof(Jitter));
        Jitter.Validate();
        return this;
    }
}
