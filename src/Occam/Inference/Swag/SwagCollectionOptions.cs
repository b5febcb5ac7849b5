using System.ComponentModel;
using Occam.Core.Options;
using Occam.Training;

namespace Occam.Inference.Swag;

/// <summary>The learning-rate schedule of SWAG's collection phase.</summary>
public enum CollectionSchedule
{
    /// <summary>A constant rate (Maddox et al. 2019, the default).</summary>
    Constant,

    /// <summary>
    /// A cyclical rate: within each collection interval the rate falls linearly from the SWAG rate to
    /// <see cref="SwagCollectionOptions.CycleMinimum"/> times it, and the iterate is collected at the end of
    /// each cycle, where the rate is lowest (Izmailov et al. 2018).
    /// </summary>
    Cyclical,
}

/// <summary>The unit of <see cref="SwagCollectionOptions.CollectEvery"/>.</summary>
public enum CollectionUnit
{
    /// <summary>Collect every c epochs.</summary>
    Epochs,

    /// <summary>Collect every c optimiser steps.</summary>
    Steps,
}

/// <summary>
/// How the SWAG family trains and collects: the model setup's training (its optimiser, rate and
/// schedule) runs up to <see cref="SwagStartEpoch"/>; from there SGD with momentum at a constant or cyclical
/// rate runs the remaining epochs of the setup, and every c steps or epochs the iterate updates the first
/// and second moments and the last K deviations. Pre-training and collection together take the setup's
/// epochs, so a SWAG fit costs what a MAP fit of the same setup costs.
/// </summary>
public abstract record SwagCollectionOptions : IMethodOptions
{
    /// <summary>Most deviations kept when no rank is given: the paper's K = 20.</summary>
    public const int DefaultMaxRank = 20;

    /// <summary>
    /// The first epoch of the collection phase (0-based; default null: half of the setup's epochs, rounded
    /// down). Earlier epochs train with the setup's optimiser and schedule.
    /// </summary>
    [Description("SWAG: first epoch of the collection phase (default: half of the training epochs)")]
    public int? SwagStartEpoch { get; init; }

    /// <summary>
    /// SGD's learning rate in the collection phase (default null: <see cref="DefaultRate"/> capped at the stability bound, see <see cref="CollectionRate"/>). Momentum is the setup's.
    /// </summary>
    [Description("SWAG: SGD learning rate of the collection phase (default: the training rate after SGD, a tenth of it after Adam or AdamW, capped at 1/λ₁ of the training loss's Hessian)")]
    public double? SwagLearningRate { get; init; }

    /// <summary>
    /// The collection rate when none is given: the training rate when training uses SGD, a tenth of it after
    /// Adam or AdamW, whose rates are not SGD rates (on yacht, SGD at Adam's 0.01 wandered far from the
    /// solution, test LL −3.12 and RMSE 7.3 over 20 splits; at 0.001, −1.44 and 0.83 over 4).
    /// </summary>
    public static double DefaultRate(TrainerOptions training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return training.Optimizer == OptimizerKind.Sgd ? training.LearningRate : training.LearningRate / 10;
    }

    /// <summary>Constant (default) or cyclical rate during collection.</summary>
    [Description("SWAG: learning-rate schedule of the collection phase: constant or cyclical")]
    public CollectionSchedule CollectionSchedule { get; init; } = CollectionSchedule.Constant;

    /// <summary>With a cyclical schedule, the rate at the end of each cycle as a fraction of the SWAG rate (default 0.1).</summary>
    [Description("SWAG cyclical schedule: rate at the end of each cycle as a fraction of the SWAG rate")]
    public double CycleMinimum { get; init; } = 0.1;

    /// <summary>
    /// Collect every c units (default null: every epoch when the collection phase has at least 20
    /// epochs, otherwise at 20 evenly spaced steps, or every step when it has fewer than 20 steps).
    /// </summary>
    [Description("SWAG: collect every c epochs or steps (default: every epoch, or 20 evenly spaced steps in a short phase)")]
    public int? CollectEvery { get; init; }

    /// <summary>The unit of <see cref="CollectEvery"/> (default epochs).</summary>
    [Description("SWAG: unit of --collect-every: epochs or steps")]
    public CollectionUnit CollectionUnit { get; init; } = CollectionUnit.Epochs;

    /// <summary>
    /// K, the most deviations kept (the rank of the low-rank part; default null: 20, or the number of
    /// collections when fewer). A rank above the number of collections is refused.
    /// </summary>
    [Description("SWAG: most deviations kept, the rank K of the low-rank part (default: 20, or the number of collections when fewer)")]
    public int? MaxRank { get; init; }

    /// <summary>
    /// For networks with batch normalisation: the training examples over which the running statistics
    /// are re-estimated for every sampled weight vector (default 1,024, or all when fewer). Ignored for
    /// networks without batch normalisation.
    /// </summary>
    [Description("SWAG: training examples used to re-estimate batch-norm statistics for each sample (networks with BatchNorm only)")]
    public int BatchNormExamples { get; init; } = 1024;

    /// <inheritdoc />
    public virtual void Validate()
    {
        if (SwagStartEpoch is < 0) throw new ArgumentException($"The collection start epoch must be non-negative; got {SwagStartEpoch}.", nameof(SwagStartEpoch));
        if (SwagLearningRate is { } lr && (!(lr > 0) || !double.IsFinite(lr)))
            throw new ArgumentException($"The SWAG learning rate must be positive and finite; got {lr}.", nameof(SwagLearningRate));
        if (!Enum.IsDefined(CollectionSchedule)) throw new ArgumentException($"Unknown collection schedule {CollectionSchedule}.", nameof(CollectionSchedule));
        if (!(CycleMinimum > 0 && CycleMinimum <= 1)) throw new ArgumentException($"The cycle minimum must lie in (0, 1]; got {CycleMinimum}.", nameof(CycleMinimum));
        if (CollectEvery is < 1) throw new ArgumentException($"The collection interval must be at least 1; got {CollectEvery}.", nameof(CollectEvery));
        if (!Enum.IsDefined(CollectionUnit)) throw new ArgumentException($"Unknown collection unit {CollectionUnit}.", nameof(CollectionUnit));
        if (MaxRank is < 1) throw new ArgumentException($"The rank (deviations kept) must be at least 1; got {MaxRank}.", nameof(MaxRank));
        if (BatchNormExamples < 1) throw new ArgumentException($"Batch-norm re-estimation needs at least one example; got {BatchNormExamples}.", nameof(BatchNormExamples));
    }
}
