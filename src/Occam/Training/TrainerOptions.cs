using Occam.Core;

namespace Occam.Training;

/// <summary>Optimisers the trainer can use.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with (heavy-ball) momentum.</summary>
    Sgd,

    /// <summary>Adam (Kingma &amp; Ba 2015).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019).</summary>
    AdamW,
}

/// <summary>MAP training hyperparameters.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set (default 40, as in the deep-ensembles UCI protocol).</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Mini-batch size (default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Optimiser (default Adam).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// How the learning rate moves over the run (default constant). It applies to whichever optimiser
    /// trains, including a method's own (IVON), by setting the learning rate of its parameter groups
    /// before every step.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>SGD momentum (default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// AdamW's decoupled weight decay (default 0). The Gaussian prior is always applied as coupled
    /// decay λ/N on the gradient; a non-zero value here adds a regulariser that is not the stated
    /// prior, so the result is then no longer that posterior's mode.
    /// </summary>
    public double DecoupledWeightDecay { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public TrainerOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1; got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"Learning rate must be positive; got {LearningRate}.", nameof(LearningRate));
        if (Schedule is null) throw new ArgumentException("A learning-rate schedule is required.", nameof(Schedule));
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"Momentum must lie in [0, 1); got {Momentum}.", nameof(Momentum));
        if (!(DecoupledWeightDecay >= 0)) throw new ArgumentException($"Decoupled weight decay must be non-negative; got {DecoupledWeightDecay}.", nameof(DecoupledWeightDecay));
        return this;
    }

    /// <summary>The runner options of a training run with these settings (shuffled batches, the schedule).</summary>
    /// <param name="stage">What progress reports call the run.</param>
    /// <param name="members">K stacked members (each with its own shuffle), or 1.</param>
    public RunOptions Run(string stage, int members = 1) =>
        new() { Epochs = Epochs, BatchSize = BatchSize, Members = members, Schedule = Schedule, Stage = stage };
}
