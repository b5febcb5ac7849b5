namespace Occam.Active;

/// <summary>Settings of an active-learning run (the loop of <see cref="ActiveLearner"/>).</summary>
public sealed record ActiveLearningOptions
{
    /// <summary>Labels drawn at random before the first round (default 20).</summary>
    public int Initial { get; init; } = 20;

    /// <summary>Classification: draw the initial labels with (nearly) equal counts per class (default false).</summary>
    public bool ClassBalanced { get; init; }

    /// <summary>Points acquired per round, b (default 10).</summary>
    public int Acquire { get; init; } = 10;

    /// <summary>Total labels at which the run stops, the initial ones included (default 1,000).</summary>
    public int Budget { get; init; } = 1000;

    /// <summary>
    /// Score only a fresh random subset of this many unlabelled points each round (null: the whole pool), as
    /// Gal, Islam &amp; Ghahramani (2017) did with 2,000 to keep rounds cheap.
    /// </summary>
    public int? PoolSubset { get; init; }

    /// <summary>Start each round's training from the previous round's weights instead of a fresh initialisation (default false: retrain from scratch).</summary>
    public bool WarmStart { get; init; }

    /// <summary>
    /// Train every round for about this many optimiser steps, ⌈steps / batches per epoch⌉ epochs of the
    /// method's batch size, instead of the method's fixed epochs (null). Small labelled sets then still get
    /// enough steps to fit, and large ones do not make every round dearer.
    /// </summary>
    public int? TrainingSteps { get; init; }

    /// <summary>Prediction samples S when scoring the pool (null: the method's default).</summary>
    public int? Samples { get; init; }

    /// <summary>Prediction samples for the test metrics (null: the method's default).</summary>
    public int? TestSamples { get; init; }

    /// <summary>Pool points per prediction call when scoring (bounds memory to about S × this × classes float64 values; default 2,048).</summary>
    public int ScoreBatchSize { get; init; } = 2048;

    /// <summary>Checks the values on their own; throws <see cref="ArgumentException"/> naming the option.</summary>
    public ActiveLearningOptions Validate()
    {
        if (Initial < 1) throw new ArgumentException($"The initial labelled set needs at least 1 point; got {Initial}.", nameof(Initial));
        if (Acquire < 1) throw new ArgumentException($"At least 1 point must be acquired per round; got {Acquire}.", nameof(Acquire));
        if (Budget < Initial) throw new ArgumentException($"The label budget ({Budget}) is below the initial labelled set ({Initial}).", nameof(Budget));
        if (PoolSubset is < 1) throw new ArgumentException($"The scored pool subset must hold at least 1 point; got {PoolSubset}.", nameof(PoolSubset));
        if (PoolSubset is { } subset && subset < Acquire) throw new ArgumentException($"The scored pool subset ({subset}) is smaller than the points acquired per round ({Acquire}).", nameof(PoolSubset));
        if (TrainingSteps is < 1) throw new ArgumentException($"Training steps must be at least 1; got {TrainingSteps}.", nameof(TrainingSteps));
        if (Samples is < 1) throw new ArgumentException($"Scoring samples must be at least 1; got {Samples}.", nameof(Samples));
        if (TestSamples is < 1) throw new ArgumentException($"Test samples must be at least 1; got {TestSamples}.", nameof(TestSamples));
        if (ScoreBatchSize < 1) throw new ArgumentException($"The scoring batch size must be at least 1; got {ScoreBatchSize}.", nameof(ScoreBatchSize));
        return this;
    }
}
