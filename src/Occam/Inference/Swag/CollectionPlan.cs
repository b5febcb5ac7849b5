using System.Globalization;
using Occam.Core;
using Occam.Training;

namespace Occam.Inference.Swag;

/// <summary>
/// The shape of a SWAG run for a training set of a given size: pre-training epochs, the collection
/// phase's steps, the collection interval, how many iterates are collected and K, the deviations kept.
/// Built before any training, so that a bad combination (a rank above the number of collections, an
/// interval longer than the phase) is refused before any work.
/// </summary>
/// <param name="StartEpoch">Epochs of pre-training with the setup's optimiser.</param>
/// <param name="CollectionEpochs">Epochs of the SGD collection phase.</param>
/// <param name="BatchesPerEpoch">Steps per epoch.</param>
/// <param name="Interval">Steps between collections (the cycle length of a cyclical schedule).</param>
/// <param name="Collections">Iterates collected.</param>
/// <param name="MaxRank">K, the deviations kept (0 for SWAG-diagonal).</param>
public sealed record CollectionPlan(int StartEpoch, int CollectionEpochs, int BatchesPerEpoch, long Interval, long Collections, int MaxRank)
{
    /// <summary>The collection phase's steps.</summary>
    public long CollectionSteps => (long)CollectionEpochs * BatchesPerEpoch;

    /// <summary>Refuses a start epoch at or after the last training epoch (the check that needs no data).</summary>
    /// <exception cref="ArgumentException">ParamName SwagStartEpoch.</exception>
    public static void CheckStart(SwagCollectionOptions options, TrainerOptions training)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        if (options.SwagStartEpoch is { } start && start >= training.Epochs)
            throw new ArgumentException($"The collection start epoch ({start}) must come before the last of the {training.Epochs} training epochs.", nameof(SwagCollectionOptions.SwagStartEpoch));
    }

    /// <summary>The plan for <paramref name="count"/> training examples.</summary>
    /// <param name="options">The collection options.</param>
    /// <param name="training">The setup's training (epochs, batch size).</param>
    /// <param name="count">N, the training examples.</param>
    /// <param name="keepDeviations">Whether deviations are kept (false for SWAG-diagonal).</param>
    /// <param name="minimumDeviations">Deviations the method needs at least (2 for a low-rank covariance).</param>
    /// <exception cref="ArgumentException">A bad combination; ParamName is the option to change.</exception>
    public static CollectionPlan For(SwagCollectionOptions options, TrainerOptions training, long count, bool keepDeviations, int minimumDeviations)
    {
        CheckStart(options, training);
        int start = options.SwagStartEpoch ?? training.Epochs / 2;
        int epochs = training.Epochs - start;
        int batches = training.Run("swag").BatchesPerEpoch(count);
        long steps = (long)epochs * batches;
        long interval = options.CollectEvery is { } every
            ? (options.CollectionUnit == CollectionUnit.Epochs ? (long)every * batches : every)
            : epochs >= SwagCollectionOptions.DefaultMaxRank ? batches : Math.Max(1, steps / SwagCollectionOptions.DefaultMaxRank);
        long collections = steps / interval;
        if (collections < 1)
            throw new ArgumentException(Invariant($"Collecting every {options.CollectEvery} {Unit(options.CollectionUnit)} never collects in a phase of {epochs} epochs ({steps} steps)."),
                nameof(SwagCollectionOptions.CollectEvery));
        if (options.MaxRank is { } rank && rank > collections)
            throw new ArgumentException(Invariant($"The rank K = {rank} exceeds the {collections} collection steps of this run ({epochs} epochs of {batches} steps, collecting every {interval} steps); lower the rank or collect more often."),
                nameof(SwagCollectionOptions.MaxRank));
        int kept = keepDeviations ? (int)Math.Min(options.MaxRank ?? SwagCollectionOptions.DefaultMaxRank, collections) : 0;
        if (keepDeviations && kept < minimumDeviations)
            throw new ArgumentException(Invariant($"This run collects {collections} iterate(s), but the low-rank covariance needs at least {minimumDeviations} deviations; collect more often or start earlier."),
                nameof(SwagCollectionOptions.CollectEvery));
        return new CollectionPlan(start, epochs, batches, interval, collections, kept);
    }

    /// <summary>The collection phase's learning-rate factors: 1 throughout, or a linear fall to the cycle minimum within each interval.</summary>
    public LearningRateSchedule Schedule(SwagCollectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CollectionSchedule == CollectionSchedule.Constant) return LearningRateSchedule.Constant;
        long cycle = Interval;
        double low = options.CycleMinimum;
        return LearningRateSchedule.Custom(t => 1 - (1 - low) * ((t % cycle) + 1) / (double)cycle, Invariant($"cyclical (length {cycle}, down to {low})"));
    }

    private static string Unit(CollectionUnit unit) => unit == CollectionUnit.Epochs ? "epochs" : "steps";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
