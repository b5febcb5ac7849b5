using Occam.GaussianProcesses.Regression;

namespace Occam.GaussianProcesses.Sparse;

/// <summary>Inducing inputs, likelihood, mean and numerics of a <see cref="SparseGaussianProcess"/>.</summary>
public sealed record SparseGpOptions
{
    /// <summary>The number of inducing inputs M (default 100; at most N).</summary>
    public int InducingPoints { get; init; } = 100;

    /// <summary>How the inducing inputs are placed (default k-means).</summary>
    public InducingSelection Selection { get; init; } = InducingSelection.KMeans;

    /// <summary>Lloyd iterations of the k-means placement (default 25).</summary>
    public int KMeansIterations { get; init; } = 25;

    /// <summary>Seed of the placement (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Whether fitting also moves the inducing inputs (default false).</summary>
    public bool TrainInducing { get; init; }

    /// <summary>The prior mean (default zero).</summary>
    public GpMean Mean { get; init; } = GpMean.Zero;

    /// <summary>The initial noise variance σ² (default 0.1; positive).</summary>
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>Whether fitting trains σ² (default true).</summary>
    public bool LearnNoise { get; init; } = true;

    /// <summary>The initial constant mean (default: the mean of the targets).</summary>
    public double? ConstantMean { get; init; }

    /// <summary>The Cholesky jitter schedule (for K_mm and I + AAᵀ).</summary>
    public JitterSchedule Jitter { get; init; } = JitterSchedule.Default;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public SparseGpOptions Validate()
    {
        if (InducingPoints < 1) throw new ArgumentException($"SparseGpOptions.InducingPoints must be at least 1; got {InducingPoints}.", nameof(InducingPoints));
        if (!Enum.IsDefined(Selection)) throw new ArgumentException($"SparseGpOptions.Selection: unknown selection {Selection}.", nameof(Selection));
        if (KMeansIterations < 0) throw new ArgumentException($"SparseGpOptions.KMeansIterations must be non-negative; got {KMeansIterations}.", nameof(KMeansIterations));
        if (!Enum.IsDefined(Mean)) throw new ArgumentException($"SparseGpOptions.Mean: unknown mean {Mean}.", nameof(Mean));
        if (!(NoiseVariance > 0) || !double.IsFinite(NoiseVariance))
            throw new ArgumentException($"SparseGpOptions.NoiseVariance must be positive and finite; got {NoiseVariance}.", nameof(NoiseVariance));
        if (ConstantMean is { } c && !double.IsFinite(c)) throw new ArgumentException($"SparseGpOptions.ConstantMean must be finite; got {c}.", nameof(ConstantMean));
        if (Jitter is null) throw new ArgumentException("SparseGpOptions.Jitter must not be null.", nameof(Jitter));
        Jitter.Validate();
        return this;
    }
}
