using System.Diagnostics;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Variational;
using Occam.Posteriors;
using static TorchSharp.torch;

namespace Occam.ModelSelection;

/// <summary>Settings of <see cref="SelectionProtocol"/>.</summary>
/// <param name="ValidationFraction">Fraction of the training rows held out for validation, in (0, 1).</param>
/// <param name="Seed">Seed of the validation split and of every fit (the same for every candidate).</param>
/// <param name="Device">Device to fit and predict on (null: CPU).</param>
/// <param name="PredictAtMean">Score held-out rows at the posterior mean (e.g. "ivon@mean") instead of the model average.</param>
public sealed record SelectionOptions(double ValidationFraction = 0.1, long Seed = 0, Device? Device = null, bool PredictAtMean = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the property when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentException($"The validation fraction must lie in (0, 1); got {ValidationFraction}.", nameof(ValidationFraction));
    }
}

/// <summary>
/// Model selection by evidence on one train/test split: hold out a seeded validation fraction of the training rows,
/// fit every candidate on the rest with the same method, seed and setup, and record its evidence split
/// (<see cref="ModelEvidence"/>) on the fitting rows, its validation NLL and its test log-likelihood. Candidates
/// see the same rows and standardisation, so their evidences compare directly.
/// </summary>
public static class SelectionProtocol
{
    /// <summary>Fits and scores every candidate on one split.</summary>
    /// <param name="method">The method (its setup's network is replaced by each candidate's).</param>
    /// <param name="candidates">At least one candidate, labels distinct.</param>
    /// <param name="train">Training rows (original units; not disposed).</param>
    /// <param name="test">Test rows (not disposed).</param>
    /// <param name="split">The split's index, for reports and the seed (<see cref="SelectionOptions.Seed"/> + split).</param>
    /// <param name="options">Validation fraction, seed, device.</param>
    /// <param name="progress">One line per candidate, or null.</param>
    /// <param name="cancellation">Checked between candidates.</param>
    /// <exception cref="ArgumentException">No candidates, repeated labels, bad options, or a method whose posterior has no evidence.</exception>
    public static IReadOnlyList<CandidateResult> Run(IPosteriorMethod method, IReadOnlyList<SelectionCandidate> candidates, Dataset train, Dataset test,
        int split, SelectionOptions options, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (candidates.Count == 0) throw new ArgumentException("The candidate list is empty.", nameof(candidates));
        if (candidates.Select(c => c.Label).Distinct().Count() != candidates.Count) throw new ArgumentException("Candidate labels must be distinct.", nameof(candidates));
        if (!ModelEvidence.Supports(method)) throw new ArgumentException($"{method.Name} has no Gaussian posterior to take the evidence of; use a Laplace method, ivon, vi, swag or swag-diag.", nameof(method));
        long seed = options.Seed + split;
        var (fitRows, validation) = HoldOut(train, options.ValidationFraction, seed);
        using (fitRows)
        using (validation)
        {
            var results = new List<CandidateResult>();
            foreach (var candidate in candidates)
            {
                cancellation.ThrowIfCancellationRequested();
                var result = Fit(method.With(method.Setup with { Network = candidate.Network }), candidate, fitRows, validation, test, split, seed, options, cancellation);
                results.Add(result);
                progress?.Report(FormattableString.Invariant(
                    $"split {split} {candidate.Label}: log evidence {result.Evidence.LogEvidence:F2} = data fit {result.Evidence.DataFit:F2} + Occam factor {result.Evidence.OccamFactor:F2}, validation NLL {result.ValidationNll:F3}, test LL {result.TestLl:F3} ({result.Seconds:F1} s)"));
            }
            return results;
        }
    }

    /// <summary>The prior precision a method's weight posterior was trained under: IVON's ess·δ, otherwise the setup's Gaussian prior.</summary>
    /// <exception cref="ArgumentException">The setup's prior is not Gaussian, or its precision is not positive.</exception>
    public static double PriorPrecision(IPosteriorMethod method, long trainingSize)
    {
        ArgumentNullException.ThrowIfNull(method);
        double precision = method is IvonMethod ivon && ivon.Resolve(trainingSize) is { EffectiveSampleSize: { } ess, WeightDecay: { } decay }
            ? ess * decay
            : method.Setup.GaussianPrior(method.Name).Precision;
        if (!(precision > 0)) throw new ArgumentException($"The evidence needs a proper prior; {method.Name} has prior precision {precision}.", nameof(method));
        return precision;
    }

    private static CandidateResult Fit(IPosteriorMethod method, SelectionCandidate candidate, Dataset fitRows, Dataset validation, Dataset test, int split, long seed,
        SelectionOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var posterior = method.Fit(fitRows, new FitContext(seed, options.Device, Cancellation: cancellation));
        var evidence = ModelEvidence.Of(posterior, fitRows, PriorPrecision(method, fitRows.Count));
        long parameters = posterior is INetworkPosterior network ? WeightSpace.Of(network.Network).Count : evidence.Parameters;
        var predict = new PredictOptions(AtMean: options.PredictAtMean, Seed: seed);
        double validationNll;
        using (var predictive = posterior.Predict(validation.Inputs, predict))
        using (var density = predictive.LogDensity(validation.Targets))
            validationNll = -density.mean().item<double>();
        double testLl, testSe;
        double? rmse = null;
        using (var predictive = posterior.Predict(test.Inputs, predict))
        {
            using var density = predictive.LogDensity(test.Targets).to_type(ScalarType.Float64);
            testLl = density.mean().item<double>();
            testSe = density.shape[0] > 1 ? density.std().item<double>() / Math.Sqrt(density.shape[0]) : 0;
            if (test.Task == TaskKind.Regression) rmse = RegressionMetrics.Compute(predictive, test.Targets).Rmse;
        }
        return new CandidateResult(candidate.Label, split, parameters, evidence, validationNll, testLl, testSe, rmse, clock.Elapsed.TotalSeconds);
    }

    private static (Dataset Fit, Dataset Validation) HoldOut(Dataset train, double fraction, long seed)
    {
        int held = (int)Math.Round(train.Count * fraction);
        if (held < 1 || train.Count - held < 2)
            throw new ArgumentException($"A validation fraction of {fraction} of {train.Count} training rows leaves {held} for validation and {train.Count - held} for fitting; validation needs 1 row and fitting 2.", nameof(SelectionOptions.ValidationFraction));
        var order = Enumerable.Range(0, (int)train.Count).Select(i => (long)i).ToArray();
        new Random(unchecked((int)seed) ^ 0x5e1ec7).Shuffle(order);
        return (train.Subset(order[held..], train.Name), train.Subset(order[..held], train.Name + " (validation)"));
    }
}
