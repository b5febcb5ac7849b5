namespace Occam.GaussianProcesses.Classification;

/// <summary>Options of the binary Laplace classifier's Newton iterations (Rasmussen &amp; Williams 2006, Alg. 3.1).</summary>
public sealed record LaplaceOptions
{
    /// <summary>The likelihood (default logistic).</summary>
    public BinaryLikelihood Likelihood { get; init; } = BinaryLikelihood.Logistic;

    /// <summary>The most Newton steps (default 100).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Newton stops when the objective Ψ changes by less than this (default 1e-10).</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>The Cholesky jitter schedule.</summary>
    public JitterSchedule Jitter { get; init; } = JitterSchedule.Default;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public LaplaceOptions Validate()
    {
        if (!Enum.IsDefined(Likelihood)) throw new ArgumentException($"LaplaceOptions.Likelihood: unknown likelihood {Likelihood}.", nameof(Likelihood));
        if (MaxIterations < 1) throw new ArgumentException($"LaplaceOptions.MaxIterations must be at least 1; got {MaxIterations}.", nameof(MaxIterations));
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentException($"LaplaceOptions.Tolerance must be positive and finite; got {Tolerance}.", nameof(Tolerance));
        if (Jitter is null) throw new ArgumentException("LaplaceOptions.Jitter must not be null.", nameof(Jitter));
        Jitter.Validate();
        return this;
    }
}
