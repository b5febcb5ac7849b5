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
/// <param name="Seed">Base seed; split i uses Seed + i.</param>
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
    /// <summary>For sampled posteriors: convergence over the splits (worst R̂, smallest ESS, HMC's acceptance and divergences); null otherwise.</summary>
    public UciConvergence? Convergence { get; init; }
}

/// <summary>Convergence of a sampler over the splits of one dataset (see <see cref="Diagnostics.ChainDiagnostics"/>).</summary>
/// <param name="MaxFunctionRhat">The largest R̂ over splits of the log posterior and the predictions at the first test inputs.</param>
/// <param name="MaxWeightRhat">The largest R̂ over splits of the random projection of θ.</param>
/// <param name="MinBulkEss">The smallest bulk ESS over splits and summaries.</param>
/// <param name="MinTailEss">The smallest tail ESS over splits and summaries.</param>
/// <param name="AcceptanceRate">HMC: the mean acceptance rate over splits; null for other samplers.</param>
/// <param name="Divergences">HMC: divergent trajectories after warm-up, summed over splits; null for other samplers.</param>
public sealed record UciConvergence(double MaxFunctionRhat, double MaxWeightRhat, double MinBulkEss, double MinTailEss, double? AcceptanceRate, double? Divergences)
{
    /// <summary>The summary of one sampler's diagnostics on each split, or null when there are none.</summary>
    public static UciConvergence? From(IReadOnlyList<Diagnostics.SamplingDiagnostics> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (splits.Count == 0) return null;
        bool hmc = splits.All(d => d.Sampler.ContainsKey("acceptance_rate"));
        return new UciConvergence(splits.Max(d => d.MaxFunctionRhat), splits.Max(d => d.MaxWeightRhat), splits.Min(d => d.MinBulkEss), splits.Min(d => d.MinTailEss),
            hmc ? splits.Average(d => d.Sampler["acceptance_rate"]) : null, hmc ? splits.Sum(d => d.Sampler["divergences"]) : null);
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
        var method = run.Method.With(Setup(benchmark, options));
        var variants = run.Predictions;
        var clock = Stopwatch.StartNew();
        var scores = variants.Select(_ => new RegressionScores[splits]).ToArray();
        var diagnostics = new List<Diagnostics.SamplingDiagnostics>();
        var evidence = new List<double>();
        for (int i = 0; i < splits; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (train, test) = benchmark.Split(i);
            using (train)
            using (test)
            using (var posterior = method.Fit(train, new FitContext(options.Seed + i, options.Device, Cancellation: cancellation)))
            {
                if (Diagnostics.ChainDiagnostics.Of(posterior, test.Inputs) is { } d)
                {
                    diagnostics.Add(d);
                    progress?.Report(FormattableString.Invariant($"{benchmark.Name} {method.Name} split {i + 1}/{splits}: R̂ ≤ {d.MaxFunctionRhat:F3} (log posterior, predictions), {d.MaxWeightRhat:F2} (θ projection), bulk ESS ≥ {d.MinBulkEss:F0}"));
                }
                if (posterior is IEvidence known) evidence.Add(known.Evidence.LogMarginalLikelihood / train.Count);
                for (int v = 0; v < variants.Count; v++)
                {
                    using var predictive = posterior.Predict(test.Inputs, variants[v].Options);
                    scores[v][i] = RegressionMetrics.Compute(predictive, test.Targets);
                    progress?.Report($"{benchmark.Name} {variants[v].Label} split {i + 1}/{splits}: test LL {scores[v][i].TestLogLikelihood:F3}, RMSE {scores[v][i].Rmse:F3}");
                }
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var convergence = UciConvergence.From(diagnostics);
        double? evidencePerPoint = evidence.Count == splits ? evidence.Average() : null;
        return variants.Select((variant, v) => Row(benchmark.Name, variant.Label, scores[v], seconds) with { Convergence = convergence, EvidencePerPoint = evidencePerPoint }).ToList();
    }

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

    private static UciRow Row(string dataset, string label, RegressionScores[] scores, double seconds)
    {
        var ll = scores.Select(s => s.TestLogLikelihood).ToArray();
        var rmse = scores.Select(s => s.Rmse).ToArray();
        return new UciRow(dataset, label, scores.Length, ll.Average(), StandardError(ll), rmse.Average(), StandardError(rmse),
            scores.Average(s => s.Coverage95), seconds);
    }
}
