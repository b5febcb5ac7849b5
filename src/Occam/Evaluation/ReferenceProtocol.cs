using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation.Diagnostics;
using Occam.Inference;
using Occam.Posteriors.Storage;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>Settings of the reference protocol.</summary>
/// <param name="Uci">The UCI protocol's model and training settings (splits, epochs, learning rate, prior, seed).</param>
/// <param name="W1Samples">Draws per test input from each predictive for the Wasserstein-1 distance.</param>
/// <param name="SaveDirectory">Where each split's reference posterior is saved, as DATASET/split-I (null: not saved).</param>
/// <param name="LoadDirectory">Where to look for references saved by an earlier run, laid out the same way; a split found there is loaded instead of sampled (null: sample every split).</param>
/// <param name="RhatThreshold">The reference counts as converged when every function-space R̂ is below this (default 1.05).</param>
public sealed record ReferenceProtocolOptions(UciProtocolOptions Uci, int W1Samples = 1000, string? SaveDirectory = null, string? LoadDirectory = null, double RhatThreshold = 1.05);

/// <summary>The reference posterior of one split: its own scores and its convergence.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Split">Split index.</param>
/// <param name="TestLl">Test log-likelihood per example (original units).</param>
/// <param name="Rmse">Test RMSE.</param>
/// <param name="Converged">Whether every function-space R̂ is below the threshold.</param>
/// <param name="W1Floor">W1 between the predictives of the first and the second half of the reference's chains: how far two halves of the reference itself lie apart.</param>
/// <param name="Diagnostics">R̂, ESS and the sampler's statistics.</param>
/// <param name="Seconds">Wall time of the fit (0 when loaded).</param>
/// <param name="Loaded">Whether the reference was loaded from an earlier run instead of sampled.</param>
public sealed record ReferenceSplit(string Dataset, int Split, double TestLl, double Rmse, bool Converged, double W1Floor, SamplingDiagnostics Diagnostics, double Seconds, bool Loaded);

/// <summary>One method on one split, scored on its own and against the reference.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Split">Split index.</param>
/// <param name="Method">Row label.</param>
/// <param name="TestLl">Test log-likelihood per example.</param>
/// <param name="Rmse">Test RMSE.</param>
/// <param name="W1">Mean Wasserstein-1 distance to the reference's predictive over the test inputs (original units).</param>
/// <param name="Seconds">Wall time of the fit and predictions.</param>
public sealed record AgreementSplit(string Dataset, int Split, string Method, double TestLl, double Rmse, double W1, double Seconds);

/// <summary>All splits of one dataset.</summary>
/// <param name="References">The reference of each split.</param>
/// <param name="Methods">Each method on each split.</param>
public sealed record ReferenceResult(IReadOnlyList<ReferenceSplit> References, IReadOnlyList<AgreementSplit> Methods);

/// <summary>
/// Scores approximate posteriors against a reference posterior on the same UCI split (Izmailov et al. 2021;
/// the NeurIPS 2021 approximate-inference competition): on each split a reference (full-batch HMC with several
/// chains) is sampled, its convergence checked (R̂ below the threshold on the log posterior and the predictions
/// at the first test inputs) and its predictive kept; then each method is fitted on the same split with the
/// same model and scored by test log-likelihood and by the Wasserstein-1 distance of its predictive to the
/// reference's. The W1 between two halves of the reference's own chains is the floor a perfect method would
/// still show.
/// </summary>
public static class ReferenceProtocol
{
    /// <summary>Runs the protocol on <paramref name="benchmark"/>.</summary>
    /// <param name="benchmark">The UCI dataset and its splits.</param>
    /// <param name="reference">The reference method (full-batch HMC); the protocol imposes its model.</param>
    /// <param name="runs">The methods to score.</param>
    /// <param name="options">Settings.</param>
    /// <param name="progress">One line per fit (optional).</param>
    /// <param name="cancellation">Stops between fits.</param>
    public static ReferenceResult Run(UciBenchmark benchmark, IPosteriorMethod reference, IReadOnlyList<MethodRun> runs, ReferenceProtocolOptions options,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.W1Samples < 2) throw new ArgumentException($"W1 needs at least 2 draws per input; got {options.W1Samples}.", nameof(options));
        int splits = UciProtocol.SplitCount(benchmark, options.Uci);
        var setup = UciProtocol.Setup(benchmark, options.Uci);
        var hmc = reference.With(setup);
        var references = new List<ReferenceSplit>();
        var methods = new List<AgreementSplit>();
        for (int i = 0; i < splits; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (train, test) = benchmark.Split(i);
            using (train)
            using (test)
            {
                var context = new FitContext(options.Uci.Seed + i, options.Uci.Device, Cancellation: cancellation);
                var clock = Stopwatch.StartNew();
                string Folder(string root) => Path.Combine(root, benchmark.Name, $"split-{i}");
                bool load = options.LoadDirectory is not null && File.Exists(Path.Combine(Folder(options.LoadDirectory), PosteriorStore.ManifestName));
                using var posterior = load ? PosteriorStore.Load(Folder(options.LoadDirectory!), new LoadContext(Device: options.Uci.Device)) : hmc.Fit(train, context);
                if (options.SaveDirectory is not null) posterior.Save(Folder(options.SaveDirectory));
                double seconds = load ? 0 : clock.Elapsed.TotalSeconds;
                using var predictive = posterior.Predict(test.Inputs);
                var scores = RegressionMetrics.Compute(predictive, test.Targets);
                var diagnostics = ChainDiagnostics.Of(posterior, test.Inputs)
                    ?? throw new ArgumentException($"The reference method {reference.Name} must keep at least 4 draws per chain of a chain posterior to check its convergence.", nameof(reference));
                double floor = HalfDistance(predictive, diagnostics.Chains, options.W1Samples, options.Uci.Seed + i);
                bool converged = diagnostics.MaxFunctionRhat < options.RhatThreshold;
                references.Add(new ReferenceSplit(benchmark.Name, i, scores.TestLogLikelihood, scores.Rmse, converged, floor, diagnostics, seconds, load));
                progress?.Report(Invariant($"{benchmark.Name} split {i + 1}/{splits}: reference {reference.Name} test LL {scores.TestLogLikelihood:F3}, R̂ ≤ {diagnostics.MaxFunctionRhat:F3}")
                    + (converged ? "" : Invariant($" (NOT below {options.RhatThreshold})")) + Invariant($", bulk ESS ≥ {diagnostics.MinBulkEss:F0}, W1 between chain halves {floor:F4}") + (load ? " (loaded)" : Invariant($" ({seconds:F0} s)")));
                foreach (var run in runs)
                {
                    cancellation.ThrowIfCancellationRequested();
                    clock.Restart();
                    using var fitted = run.Method.With(setup).Fit(train, context);
                    foreach (var variant in run.Predictions)
                    {
                        using var p = fitted.Predict(test.Inputs, variant.Options);
                        var s = RegressionMetrics.Compute(p, test.Targets);
                        double w1 = ReferenceAgreement.Wasserstein1(p, predictive, options.W1Samples, options.Uci.Seed + i);
                        methods.Add(new AgreementSplit(benchmark.Name, i, variant.Label, s.TestLogLikelihood, s.Rmse, w1, clock.Elapsed.TotalSeconds));
                        progress?.Report(Invariant($"{benchmark.Name} split {i + 1}/{splits}: {variant.Label} test LL {s.TestLogLikelihood:F3}, W1 to the reference {w1:F4}"));
                    }
                }
            }
        }
        return new ReferenceResult(references, methods);
    }

    /// <summary>W1 between the predictives of the first ⌊K/2⌋ chains' draws and the rest (NaN for one chain).</summary>
    private static double HalfDistance(Predictive predictive, int chains, int samples, long seed)
    {
        if (chains < 2) return double.NaN;
        using var scope = NewDisposeScope();
        long perChain = predictive.MemberCount / chains, first = chains / 2 * perChain;
        var means = predictive.MemberMeans;
        var variances = predictive.MemberVariances;
        using var a = Predictive.Regression(means.narrow(0, 0, first), variances.narrow(0, 0, first));
        using var b = Predictive.Regression(means.narrow(0, first, means.shape[0] - first), variances.narrow(0, first, means.shape[0] - first));
        return ReferenceAgreement.Wasserstein1(a, b, samples, seed);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
