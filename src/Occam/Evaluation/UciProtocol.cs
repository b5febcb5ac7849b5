using System.Diagnostics;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Models;
using Occam.Priors;
using Occam.Training;

namespace Occam.Evaluation;

/// <summary>Settings of the UCI regression protocol.</summary>
/// <param name="Splits">Splits to run (null: all the dataset's splits; more than it has is refused).</param>
/// <param name="Epochs">Training epochs (default 40, as in the deep-ensembles protocol).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="PriorPrecision">Gaussian prior precision λ (weight decay λ/N).</param>
/// <param name="Seed">Base seed; split i uses Seed + i (<see cref="UciProtocol.SplitSeed"/>).</param>
/// <param name="Schedule">Learning-rate schedule of every method's training (null: constant).</param>
/// <param name="Device">Device to train and predict on (null: CPU).</param>
public sealed record UciProtocolOptions(int? Splits = null, int Epochs = 40, int BatchSize = 32, double LearningRate = 1e-2,
    double PriorPrecision = 1.0, long Seed = 0, LearningRateSchedule? Schedule = null, TorchSharp.torch.Device? Device = null);

/// <summary>One dataset × method row: mean and standard error over splits, in the original target units.</summary>
/// <param name="Dataset">Dataset folder name.</param>
/// <param name="Method">Row label (method name, or a prediction variant such as "ivon@mean").</param>
/// <param name="Splits">Splits run.</param>
/// <param name="TestLlMean">Mean over splits of the average test log-likelihood per example.</param>
/// <param name="TestLlSe">Its standard error (sd over splits / √splits).</param>
/// <param name="RmseMean">Mean test RMSE.</param>
/// <param name="RmseSe">Its standard error.</param>
/// <param name="Coverage95Mean">Mean fraction of test targets inside the central 95% interval.</param>
/// <param name="Seconds">Wall time of all splits (fit + predict).</param>
/// <param name="EvidencePerPoint">For posteriors that know their evidence (<see cref="IEvidence"/>): the mean over splits of the log marginal likelihood per training point, in standardised units; null otherwise.</param>
public sealed record UciRow(string Dataset, string Method, int Splits, double TestLlMean, double TestLlSe, double RmseMean, double RmseSe,
    double Coverage95Mean, double Seconds, double? EvidencePerPoint = null)
{
    /// <summary>For sampled posteriors: convergence over the splits (worst R̂, smallest ESS, HMC's acceptance, divergences); null otherwise.</summary>
    public UciConvergence? Convergence { get; init; }

    /// <summary>Under the tuned protocol: how often each setting was chosen over the splits; null under the fixed protocol.</summary>
    public IReadOnlyList<UciTuningCount>? Tuning { get; init; }
}

/// <summary>Convergence of a sampler over the splits of one dataset (see <see cref="Diagnostics.ChainDiagnostics"/>).</summary>
/// <param name="MaxFunctionRhat">The largest R̂ over splits of the log posterior and the predictions at the first test inputs.</param>
/// <param name="MaxWeightRhat">The largest R̂ over splits of the random projection of θ.</param>
/// <param name="MinBulkEss">The smallest bulk ESS over splits and summaries.</param>
/// <param name="MinTailEss">The smallest tail ESS over splits and summaries.</param>
/// <param name="AcceptanceRate">HMC: the mean acceptance rate over splits; null for other samplers.</param>
/// <param name="Divergences">Summed over splits: HMC's divergent trajectories after warm-up, or the divergent chain steps that the stochastic-gradient samplers' guard caught; null for samplers that count none.</param>
public sealed record UciConvergence(double MaxFunctionRhat, double MaxWeightRhat, double MinBulkEss, double MinTailEss, double? AcceptanceRate, double? Divergences)
{
    /// <summary>The summary of one sampler's diagnostics on each split, or null when there are none.</summary>
    public static UciConvergence? From(IReadOnlyList<Diagnostics.SamplingDiagnostics> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0) return null;
        bool hmc = splits.All(d => d.Sampler.ContainsKey("acceptance_rate"));
        bool counted = splits.All(d => d.Sampler.ContainsKey("divergences"));
        return new UciConvergence(splits.Max(d => d.MaxFunctionRhat), splits.Max(d => d.MaxWeightRhat), splits.Min(d => d.MinBulkEss), splits.Min(d => d.MinTailEss),
            hmc ? splits.Average(d => d.Sampler["acceptance_rate"]) : null, counted ? splits.Sum(d => d.Sampler["divergences"]) : null);
    }

    /// <summary>The worst over several summaries (each of one split, in split order), or null when there are none; the same as <see cref="From"/> over all their splits.</summary>
    public static UciConvergence? Combine(IReadOnlyList<UciConvergence> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0) return null;
        bool hmc = splits.All(c => c.AcceptanceRate is not null);
        bool counted = splits.All(c => c.Divergences is not null);
        return new UciConvergence(splits.Max(c => c.MaxFunctionRhat), splits.Max(c => c.MaxWeightRhat), splits.Min(c => c.MinBulkEss), splits.Min(c => c.MinTailEss),
            hmc ? splits.Average(c => c.AcceptanceRate!.Value) : null, counted ? splits.Sum(c => c.Divergences!.Value) : null);
    }
}

/// <summary>
/// The UCI regression protocol (Hernández-Lobato &amp; Adams 2015; Gal &amp; Ghahramani 2016;
/// Lakshminarayanan et al. 2017): for each fixed split, standardise inputs and targets on the
/// training split, fit one hidden layer of ReLU units (50; 100 for protein, from n_hidden.txt),
/// and score test log-likelihood and RMSE in the original units.
/// </summary>
public static class UciProtocol
{
    /// <summary>Fits <paramref name="run"/>'s method on each split of <paramref name="benchmark"/> and scores every prediction variant: one row per variant.</summary>
    /// <exception cref="ArgumentException">More splits than the dataset has, or bad options.</exception>
    public static IReadOnlyList<UciRow> Run(UciBenchmark benchmark, MethodRun run, UciProtocolOptions options, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        int splits = SplitCount(benchmark, options);
        var results = new List<UciSplitResult>();
        for (int i = 0; i < splits; i++) results.Add(RunSplit(benchmark, run, i, options, progress, cancellation));
        return Summarise(results);
    }

    /// <summary>
    /// Fits <paramref name="run"/>'s method on split <paramref name="split"/> of <paramref name="benchmark"/> (seed
    /// <see cref="SplitSeed"/>) and scores every prediction variant. <see cref="Run"/> is this for splits 0, 1, … followed
    /// by <see cref="Summarise"/>, so splits fitted in separate processes give the same rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not one of the dataset's splits.</exception>
    public static UciSplitResult RunSplit(UciBenchmark benchmark, MethodRun run, int split, UciProtocolOptions options, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        if (split < 0 || split >= benchmark.SplitCount)
            throw new ArgumentOutOfRangeException(nameof(split), split, $"{benchmark.Name} has splits 0..{benchmark.SplitCount - 1}");
        cancellation.ThrowIfCancellationRequested();
        var method = run.Method.With(Setup(benchmark, options));
        var variants = run.Predictions;
        var clock = Stopwatch.StartNew();
        var scores = new List<UciVariantScore>();
        UciConvergence? convergence = null;
        double? evidence = null;
        var (train, test) = benchmark.Split(split);
        using (train)
        using (test)
        using (var posterior = method.Fit(train, new FitContext(SplitSeed(options.Seed, split), options.Device, Cancellation: cancellation)))
        {
            if (Diagnostics.ChainDiagnostics.Of(posterior, test.Inputs) is { } d)
            {
                convergence = UciConvergence.From([d]);
                progress?.Report(FormattableString.Invariant($"{benchmark.Name} {method.Name} split {split + 1}/{benchmark.SplitCount}: R̂ ≤ {d.MaxFunctionRhat:F3} (log posterior, predictions), {d.MaxWeightRhat:F2} (θ projection), bulk ESS ≥ {d.MinBulkEss:F0}")
                    + (d.Sampler.TryGetValue("divergences", out var divergences) && divergences > 0 ? FormattableString.Invariant($", {divergences:F0} divergences") : ""));
            }
            if (posterior is IEvidence known) evidence = known.Evidence.LogMarginalLikelihood / train.Count;
            foreach (var variant in variants)
            {
                using var predictive = posterior.Predict(test.Inputs, variant.Options);
                var s = RegressionMetrics.Compute(predictive, test.Targets);
                scores.Add(new UciVariantScore(variant.Label, s.TestLogLikelihood, s.Rmse, s.Coverage95));
                progress?.Report($"{benchmark.Name} {variant.Label} split {split + 1}/{benchmark.SplitCount}: test LL {s.TestLogLikelihood:F3}, RMSE {s.Rmse:F3}");
            }
        }
        return new UciSplitResult(benchmark.Name, split, method.Name, scores, clock.Elapsed.TotalSeconds, evidence, convergence);
    }

    /// <summary>
    /// The rows of one method on one dataset from its split results (in split order): mean and standard error
    /// over splits per prediction variant; seconds are summed; convergence is the worst over splits; the tuned settings are counted.
    /// </summary>
    /// <exception cref="ArgumentException">No splits, or splits of different datasets, methods or variants.</exception>
    public static IReadOnlyList<UciRow> Summarise(IReadOnlyList<UciSplitResult> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0) throw new ArgumentException("No split results to summarise.", nameof(splits));
        var first = splits[0];
        var labels = first.Variants.Select(v => v.Label).ToList();
        if (splits.Any(s => s.Dataset != first.Dataset || s.Method != first.Method || !s.Variants.Select(v => v.Label).SequenceEqual(labels)))
            throw new ArgumentException("Split results of different datasets, methods or prediction variants cannot be summarised together.", nameof(splits));
        double seconds = splits.Sum(s => s.Seconds);
        var convergence = UciConvergence.Combine(splits.Where(s => s.Convergence is not null).Select(s => s.Convergence!).ToList());
        double? evidencePerPoint = splits.All(s => s.EvidencePerPoint is not null) ? splits.Average(s => s.EvidencePerPoint!.Value) : null;
        var tuning = UciTuning.Count(splits);
        return labels.Select((label, v) => Row(first.Dataset, label, splits.Select(s => s.Variants[v]).ToArray(), seconds)
            with { Convergence = convergence, EvidencePerPoint = evidencePerPoint, Tuning = tuning }).ToList();
    }

    /// <summary>The seed split <paramref name="split"/> is fitted with: <paramref name="seed"/> + <paramref name="split"/>.</summary>
    public static long SplitSeed(long seed, int split) => unchecked(seed + split);

    /// <summary>The number of splits to run; refuses more than the dataset has.</summary>
    public static int SplitCount(UciBenchmark benchmark, UciProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Splits is { } s && (s < 1 || s > benchmark.SplitCount))
            throw new ArgumentException($"Splits must lie in 1..{benchmark.SplitCount} for {benchmark.Name}; got {s}.", nameof(options.Splits));
        return options.Splits ?? benchmark.SplitCount;
    }

    /// <summary>The model of the protocol: one hidden ReLU layer of n_hidden units, the learned-noise Gaussian likelihood, the Gaussian prior, Adam.</summary>
    public static ModelSetup Setup(UciBenchmark benchmark, UciProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(options);
        return new ModelSetup
        {
            Network = new MlpSpec([benchmark.HiddenUnits]),
            Prior = new GaussianPrior(options.PriorPrecision),
            Training = new TrainerOptions
            {
                Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate,
                Schedule = options.Schedule ?? LearningRateSchedule.Constant,
            },
        };
    }

    /// <summary>Sample standard deviation over √n (0 for a single value).</summary>
    public static double StandardError(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) return 0;
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return Math.Sqrt(variance / values.Count);
    }

    private static UciRow Row(string dataset, string label, UciVariantScore[] scores, double seconds)
    {
        var ll = scores.Select(s => s.TestLogLikelihood).ToArray();
        var rmse = scores.Select(s => s.Rmse).ToArray();
        return new UciRow(dataset, label, scores.Length, ll.Average(), StandardError(ll), rmse.Average(), StandardError(rmse),
            scores.Average(s => s.Coverage95), seconds);
    }
}
