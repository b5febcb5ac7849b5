using System.Diagnostics;
using Occam.Data;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;

namespace Occam.Evaluation;

/// <summary>Settings of the UCI regression protocol.</summary>
/// <param name="Splits">Splits to run (null: all the dataset's splits).</param>
/// <param name="Epochs">Training epochs (default 40, as in the deep-ensembles protocol).</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="PriorPrecision">Gaussian prior precision λ (weight decay λ/N).</param>
/// <param name="Method">Method knobs (ensemble size, dropout rate, samples).</param>
/// <param name="Seed">Base seed; split i uses Seed + i.</param>
/// <param name="Schedule">Learning-rate schedule of every method's training (default constant).</param>
public sealed record UciProtocolOptions(int? Splits = null, int Epochs = 40, int BatchSize = 32, double LearningRate = 1e-2,
    double PriorPrecision = 1.0, MethodOptions? Method = null, long Seed = 0, LearningRateSchedule Schedule = LearningRateSchedule.Constant);

/// <summary>One dataset × method row: mean and standard error over splits, in the original target units.</summary>
/// <param name="Dataset">Dataset folder name.</param>
/// <param name="Method">Method name.</param>
/// <param name="Splits">Splits run.</param>
/// <param name="TestLlMean">Mean over splits of the average test log-likelihood per example.</param>
/// <param name="TestLlSe">Its standard error (sd over splits / √splits).</param>
/// <param name="RmseMean">Mean test RMSE.</param>
/// <param name="RmseSe">Its standard error.</param>
/// <param name="Coverage95Mean">Mean fraction of test targets inside the central 95% interval.</param>
/// <param name="Seconds">Wall time of all splits (fit + predict).</param>
public sealed record UciRow(string Dataset, string Method, int Splits, double TestLlMean, double TestLlSe, double RmseMean, double RmseSe,
    double Coverage95Mean, double Seconds);

/// <summary>
/// The UCI regression protocol (Hernández-Lobato &amp; Adams 2015; Gal &amp; Ghahramani 2016;
/// Lakshminarayanan et al. 2017): for each fixed split, standardise inputs and targets on the
/// training split, fit one hidden layer of ReLU units (50; 100 for protein, from n_hidden.txt),
/// and score test log-likelihood and RMSE in the original units.
/// </summary>
public static class UciProtocol
{
    /// <summary>Runs <paramref name="method"/> on the splits of <paramref name="benchmark"/>.</summary>
    public static UciRow Run(UciBenchmark benchmark, string method, UciProtocolOptions options, IProgress<string>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(options);
        int splits = options.Splits is { } s ? Math.Min(s, benchmark.SplitCount) : benchmark.SplitCount;
        if (splits < 1) throw new ArgumentOutOfRangeException(nameof(options), "Need at least one split.");
        var clock = Stopwatch.StartNew();
        var ll = new double[splits];
        var rmse = new double[splits];
        var coverage = new double[splits];
        for (int i = 0; i < splits; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (train, test) = benchmark.Split(i);
            using (train)
            using (test)
            {
                var setup = Setup(benchmark, method, options);
                var fit = MethodCatalog.Create(method, setup, options.Method);
                using var posterior = fit.Fit(train, new FitContext(options.Seed + i, Cancellation: cancellation));
                using var predictive = posterior.Predict(test.Inputs);
                var scores = RegressionMetrics.Compute(predictive, test.Targets);
                (ll[i], rmse[i], coverage[i]) = (scores.TestLogLikelihood, scores.Rmse, scores.Coverage95);
            }
            progress?.Report($"{benchmark.Name} {method} split {i + 1}/{splits}: test LL {ll[i]:F3}, RMSE {rmse[i]:F3}");
        }
        return new UciRow(benchmark.Name, method, splits, ll.Average(), StandardError(ll), rmse.Average(), StandardError(rmse),
            coverage.Average(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The model of the protocol: one hidden ReLU layer of n_hidden units; deep ensembles use the heteroscedastic likelihood of their paper.</summary>
    public static ModelSetup Setup(UciBenchmark benchmark, string method, UciProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(options);
        Likelihood likelihood = method == "ensemble" ? new HeteroscedasticGaussianLikelihood() : new GaussianLikelihood();
        return new ModelSetup
        {
            Network = new MlpSpec([benchmark.HiddenUnits]),
            Likelihood = likelihood,
            Prior = new Priors.GaussianPrior(options.PriorPrecision),
            Training = new TrainerOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Schedule = options.Schedule },
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
}
