namespace Occam.GaussianProcesses.Regression;

/// <summary>The likelihood, mean and numerics of an <see cref="ExactGaussianProcess"/>.</summary>
public sealed record ExactGpOptions
{
    /// <summary>The prior mean (default zero).</summary>
    public GpMean Mean { get; init; } = GpMean.Zero;

    /// <summary>The initial Gaussian noise variance σ² (default 0.1; positive).</summary>
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>Whether fitting trains σ² (default true); when false it stays at <see cref="NoiseVariance"/>.</summary>
    public bool LearnNoise { get; init; } = true;

    /// <summary>The initial constant mean (default: the mean of the targets); used with <see cref="GpMean.Constant"/>.</summary>
    public double? ConstantMean { get; init; }

    /// <summary>The Cholesky jitter schedule.</summary>
    public JitterSchedule Jitter { get; init; } = JitterSchedule.Default;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public ExactGpOptions Validate()
    {
        if (!Enum.IsDefined(Mean)) throw new ArgumentException($"ExactGpOptions.Mean: unknown mean {Mean}.", nameof(Mean));
        if (!(NoiseVariance > 0) || !double.IsFinite(NoiseVariance))
            throw new ArgumentException($"ExactGpOptions.NoiseVariance must be positive and finite; got {NoiseVariance}.", nameof(NoiseVariance));
        if (ConstantMean is { } c && !double.IsFinite(c)) throw new ArgumentException($"ExactGpOptions.ConstantMean must be finite; got {c}.", nameof(ConstantMean));
        if (Jitter is null) throw new ArgumentException("ExactGpOptions.Jitter must not be null.", nameof(Jitter));
        Jitter.Validate();
        return this;
    }
}
