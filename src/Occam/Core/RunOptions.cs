namespace Occam.Core;

/// <summary>How <see cref="Runner"/> drives a kernel over a dataset.</summary>
public sealed record RunOptions
{
    /// <summary>Passes over the data (default 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Examples per step (default 32); capped at the dataset size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>K members that each draw their own shuffle, stacked as [K, B, ...] (default 1).</summary>
    public int Members { get; init; } = 1;

    /// <summary>Shuffle every epoch (default true); false gives consecutive batches in data order (views, no copies).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The learning-rate schedule (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Steps before collectors see any state (default 0).</summary>
    public long BurnIn { get; init; }

    /// <summary>Collectors see every Thin-th step after burn-in (default 1).</summary>
    public long Thin { get; init; } = 1;

    /// <summary>What progress reports call this run (e.g. "ensemble of 5").</summary>
    public string Stage { get; init; } = "training";

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public RunOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1; got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (Members < 1) throw new ArgumentException($"Members must be at least 1; got {Members}.", nameof(Members));
        if (BurnIn < 0) throw new ArgumentException($"Burn-in must be non-negative; got {BurnIn}.", nameof(BurnIn));
        if (Thin < 1) throw new ArgumentException($"Thinning must be at least 1; got {Thin}.", nameof(Thin));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        return this;
    }

    /// <summary>Steps per epoch for <paramref name="count"/> examples: ⌈N / B⌉ with B capped at N.</summary>
    public int BatchesPerEpoch(long count)
    {
        long batch = Math.Min(BatchSize, Math.Max(count, 1));
        return (int)((count + batch - 1) / batch);
    }
}

/// <summary>Progress of a run, reported after every step.</summary>
/// <param name="Stage">What runs (e.g. "member 2/5", "laplace: curvature").</param>
/// <param name="Step">Steps done so far (1-based).</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="Epoch">1-based epoch of this step.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Loss">At the last step of an epoch: that epoch's mean per-example training loss; null otherwise.</param>
public sealed record RunReport(string Stage, long Step, long TotalSteps, int Epoch, int Epochs, double? Loss);

/// <summary>What a run did.</summary>
/// <param name="EpochLoss">Mean per-example training loss of each epoch (NaN where the kernel reports none).</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record RunResult(double[] EpochLoss, long Steps, double Seconds);
