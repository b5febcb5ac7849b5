namespace Occam.GaussianProcesses.Fitting;

/// <summary>How hyperparameters are fitted by maximising the log marginal likelihood (or the SGPR bound).</summary>
public sealed record GpFitOptions
{
    /// <summary>The optimiser (default L-BFGS).</summary>
    public GpOptimizer Optimizer { get; init; } = GpOptimizer.Lbfgs;

    /// <summary>Iterations per start: L-BFGS steps or Adam steps (default 100).</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Adam's learning rate on the raw (log) values (default 0.05; unused by L-BFGS).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>
    /// Extra starts after the one from the current values (default 0). Each draws positive
    /// hyperparameters as log v₀ + <see cref="RestartSpread"/>·N(0, 1) from a generator seeded by
    /// <see cref="Seed"/> and starts unconstrained ones from their current values; the best final value wins.
    /// </summary>
    public int Restarts { get; init; }

    /// <summary>The standard deviation of a restart's perturbation of the log-values (default 1).</summary>
    public double RestartSpread { get; init; } = 1.0;

    /// <summary>Seed of the restart draws (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>L-BFGS stops when the largest gradient entry falls below this (default 1e-5).</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public GpFitOptions Validate()
    {
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentException($"GpFitOptions.Optimizer: unknown optimiser {Optimizer}.", nameof(Optimizer));
        if (Iterations < 1) throw new ArgumentException($"GpFitOptions.Iterations must be at least 1; got {Iterations}.", nameof(Iterations));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"GpFitOptions.LearningRate must be positive and finite; got {LearningRate}.", nameof(LearningRate));
        if (Restarts < 0) throw new ArgumentException($"GpFitOptions.Restarts must be non-negative; got {Restarts}.", nameof(Restarts));
        if (!(RestartSpread >= 0) || !double.IsFinite(RestartSpread))
            throw new ArgumentException($"GpFitOptions.RestartSpread must be non-negative and finite; got {RestartSpread}.", nameof(RestartSpread));
        if (!(GradientTolerance > 0) || !double.IsFinite(GradientTolerance))
            throw new ArgumentException($"GpFitOptions.GradientTolerance must be positive and finite; got {GradientTolerance}.", nameof(GradientTolerance));
        return this;
    }
}
