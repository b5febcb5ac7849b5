using System.Diagnostics;
using Occam.Core;
using Occam.Data;
using Occam.Inference;

namespace Occam.Evaluation;

/// <summary>One hyperparameter setting the tuned protocol tries: the method run and the protocol options to fit it with.</summary>
/// <param name="Setting">How the setting reads in reports, e.g. "prior-precision=1, epochs=100".</param>
/// <param name="Run">The method (with its options for this setting) and its prediction variants; the first variant is scored on validation.</param>
/// <param name="Options">The protocol options for this setting (prior precision, epochs, learning rate, seed, device).</param>
public sealed record TuningCandidate(string Setting, MethodRun Run, UciProtocolOptions Options);

/// <summary>The setting the tuned protocol chose on one split.</summary>
/// <param name="Setting">The chosen setting (<see cref="TuningCandidate.Setting"/>).</param>
/// <param name="ValidationLogLikelihood">Its average log-likelihood per validation example; null when there was only one setting to choose.</param>
public sealed record UciTuningChoice(string Setting, double? ValidationLogLikelihood);

/// <summary>How often a setting was chosen over the splits of one dataset.</summary>
/// <param name="Setting">The setting.</param>
/// <param name="Splits">The number of splits on which it was chosen.</param>
public sealed record UciTuningCount(string Setting, int Splits);

/// <summary>
/// The tuned UCI protocol (as in Gal's 2018 rerun of the MC-dropout experiments): on each split, every
/// candidate setting is fitted on the first part of the training rows and scored by its log-likelihood on
/// the rest (the validation rows); the best setting is refitted on the whole training split and scored on
/// the test split. The test rows are never seen while choosing.
/// </summary>
public static class UciTuning
{
    /// <summary>The default fraction of each training split held out for validation (0.2, as in Gal's experiments).</summary>
    public const double DefaultValidationFraction = 0.2;

    /// <summary>
    /// The inner split of a training split: the first rows fit, the last ⌈<paramref name="validationFraction"/> · n⌉
    /// validate. The training rows of the fixed splits are already in random order, so no shuffle is needed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 0.5], or a part would be empty.</exception>
    public static (long[] Fit, long[] Validation) InnerSplit(IReadOnlyList<long> trainRows, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(trainRows);
        CheckFraction(validationFraction);
        int validation = (int)Math.Ceiling(validationFraction * trainRows.Count);
        if (validation < 1 || validation >= trainRows.Count)
            throw new ArgumentOutOfRangeException(nameof(trainRows), trainRows.Count, $"{trainRows.Count} training rows cannot be split with validation fraction {validationFraction}");
        int fit = trainRows.Count - validation;
        return (trainRows.Take(fit).ToArray(), trainRows.Skip(fit).ToArray());
    }

    /// <summary>
    /// Chooses among <paramref name="candidates"/> on the validation rows of split <paramref name="split"/>, refits the
    /// best on the whole training split and scores it on the test split (<see cref="UciProtocol.RunSplit"/>). A single
    /// candidate is fitted directly, without validation. Ties keep the earlier candidate; a candidate whose validation
    /// log-likelihood is not finite is never chosen over a finite one. The result's seconds include the validation fits.
    /// </summary>
    /// <exception cref="ArgumentException">No candidates, candidates of different methods or prediction variants, or a bad fraction.</exception>
    public static UciSplitResult RunSplit(UciBenchmark benchmark, IReadOnlyList<TuningCandidate> candidates, int split, double validationFraction,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(candidates);
        CheckFraction(validationFraction);
        if (candidates.Count == 0) throw new ArgumentException("The tuned protocol needs at least one candidate setting.", nameof(candidates));
        var labels = candidates[0].Run.Predictions.Select(p => p.Label).ToList();
        if (candidates.Any(c => c.Run.Method.Name != candidates[0].Run.Method.Name || !c.Run.Predictions.Select(p => p.Label).SequenceEqual(labels)))
            throw new ArgumentException("The candidate settings of one tuned run must share the method and its prediction variants.", nameof(candidates));
        if (candidates.Count == 1)
            return UciProtocol.RunSplit(benchmark, candidates[0].Run, split, candidates[0].Options, progress, cancellation) with
            {
                Tuning = new UciTuningChoice(candidates[0].Setting, null),
            };
        var clock = Stopwatch.StartNew();
        var (trainRows, _) = benchmark.SplitIndices(split);
        var (fitRows, validationRows) = InnerSplit(trainRows, validationFraction);
        TuningCandidate best = candidates[0];
        double bestScore = double.NaN;
        using (var fit = benchmark.All.Subset(fitRows, $"{benchmark.Name}-split{split}-fit"))
        using (var validation = benchmark.All.Subset(validationRows, $"{benchmark.Name}-split{split}-validation"))
        {
            foreach (var candidate in candidates)
            {
                double score = ValidationScore(benchmark, candidate, split, fit, validation, cancellation);
                progress?.Report(FormattableString.Invariant($"{benchmark.Name} {labels[0]} split {split + 1}/{benchmark.SplitCount}: {candidate.Setting}: validation LL {score:F3}"));
                if (double.IsFinite(score) && !(score <= bestScore))
                {
                    best = candidate;
                    bestScore = score;
                }
            }
        }
        double tuningSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report($"{benchmark.Name} {labels[0]} split {split + 1}/{benchmark.SplitCount}: chose {best.Setting}");
        var result = UciProtocol.RunSplit(benchmark, best.Run, split, best.Options, progress, cancellation);
        return result with
        {
            Seconds = result.Seconds + tuningSeconds,
            Tuning = new UciTuningChoice(best.Setting, double.IsFinite(bestScore) ? bestScore : null),
        };
    }

    /// <summary>How often each setting was chosen, most often first (ties in order of first choice); null unless every split was tuned.</summary>
    public static IReadOnlyList<UciTuningCount>? Count(IReadOnlyList<UciSplitResult> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0 || splits.Any(s => s.Tuning is null)) return null;
        return splits.Select((s, i) => (s.Tuning!.Setting, i)).GroupBy(x => x.Setting, StringComparer.Ordinal)
            .Select(g => (Count: new UciTuningCount(g.Key, g.Count()), First: g.Min(x => x.i)))
            .OrderByDescending(x => x.Count.Splits).ThenBy(x => x.First).Select(x => x.Count).ToList();
    }

    private static double ValidationScore(UciBenchmark benchmark, TuningCandidate candidate, int split, Dataset fit, Dataset validation, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var method = candidate.Run.Method.With(UciProtocol.Setup(benchmark, candidate.Options));
        var context = new FitContext(UciProtocol.SplitSeed(candidate.Options.Seed, split), candidate.Options.Device, Cancellation: cancellation);
        using var posterior = method.Fit(fit, context);
        using var predictive = posterior.Predict(validation.Inputs, candidate.Run.Predictions[0].Options);
        return RegressionMetrics.Compute(predictive, validation.Targets).TestLogLikelihood;
    }

    private static void CheckFraction(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in (0, 0.5].");
    }
}
