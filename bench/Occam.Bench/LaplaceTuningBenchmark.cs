using System.Diagnostics;
using System.Globalization;
using System.Text;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// All-weights Laplace hyperparameter variants on the UCI protocol: per split one MAP network (trained
/// exactly as the protocol's Laplace methods train it, same seed), then every variant fitted around a
/// copy of it, so the variants differ only in their curvature and tuning. Reports test log-likelihood,
/// RMSE and 95% coverage in original units, and the tuned noise and prior precision.
/// </summary>
internal static class LaplaceTuningBenchmark
{
    public sealed record Variant(string Name, LaplaceOptions Options);

    public sealed record Row(string Dataset, string Variant, int Splits, double TestLl, double TestLlSe, double Rmse, double Coverage95,
        double MapNoiseSd, double NoiseSd, double PriorPrecision, double LogEvidence, double Seconds);

    private static readonly LaplaceOptions Kron = new() { Subset = WeightSubset.All, Structure = HessianStructure.Kron };
    private static readonly LaplaceOptions Full = new() { Subset = WeightSubset.All, Structure = HessianStructure.Full };

    /// <summary>The variants by name.</summary>
    public static IReadOnlyList<Variant> All { get; } =
    [
        new("kron", Kron),
        new("kron-fixed-noise", Kron with { TuneNoise = false }),
        new("kron-layer", Kron with { PerLayerPrior = true }),
        new("kron-layer-fixed-noise", Kron with { PerLayerPrior = true, TuneNoise = false }),
        new("full", Full),
        new("full-fixed-noise", Full with { TuneNoise = false }),
        new("full-layer", Full with { PerLayerPrior = true }),
    ];

    public static List<Row> Run(string dataDir, IReadOnlyList<string> datasets, int? splits, IReadOnlyList<Variant> variants, Action<string> log)
    {
        var rows = new List<Row>();
        foreach (var name in datasets)
        {
            using var benchmark = UciBenchmark.Load(Path.Combine(dataDir, name));
            int count = Math.Min(splits ?? benchmark.SplitCount, benchmark.SplitCount);
            var setup = UciProtocol.Setup(benchmark, new UciProtocolOptions());
            var results = variants.Select(_ => new List<(double Ll, double Rmse, double Cover, double Noise, double Prior, double Evidence, double Seconds)>()).ToArray();
            var mapNoise = new List<double>();
            for (int i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var (rawTrain, rawTest) = benchmark.Split(i);
                using var train0 = rawTrain;
                using var test0 = rawTest;
                var standardiser = Standardiser.Fit(train0);
                using var train = standardiser.Transform(train0);
                using var test = standardiser.Transform(test0);
                double sdY = standardiser.TargetSd[0];
                long seed = i;
                using var network = setup.Network.Create(train.InputShape, 1, 1, seed);
                using var likelihood = new GaussianLikelihood();
                var kernel = new MapKernel(network, likelihood, setup.Prior, setup.Training);
                Runner.Run(kernel, train, setup.Training.Run("map", 1), new FitContext(seed)).State.Dispose();
                network.eval();
                double sigma = likelihood.NoiseSd[0];
                mapNoise.Add(sigma);
                using var theta = WeightSpace.Of(network).Get();
                for (int v = 0; v < variants.Count; v++)
                {
                    using var inner = NewDisposeScope();
                    var copy = setup.Network.Create(train.InputShape, 1, 1, seed);
                    WeightSpace.Of(copy).Set(theta);
                    var noise = new GaussianLikelihood();
                    noise.SetNoiseSd([sigma]);
                    var clock = Stopwatch.StartNew();
                    using var posterior = new LaplaceMethod(setup, variants[v].Options, variants[v].Name).FitToNetwork(copy, noise, train, new FitContext(seed));
                    using var predictive = posterior.Predict(test.Inputs);
                    var scores = RegressionMetrics.Compute(predictive, test.Targets);
                    double seconds = clock.Elapsed.TotalSeconds;
                    var evidence = posterior.Evidence;
                    double ll = scores.TestLogLikelihood - Math.Log(sdY);
                    results[v].Add((ll, scores.Rmse * sdY, scores.Coverage95, posterior.NoiseSd ?? double.NaN,
                        Math.Exp(posterior.PriorPrecision.Average(Math.Log)), evidence.LogMarginalLikelihood, seconds));
                    log(FormattableString.Invariant($"{name} split {i} {variants[v].Name}: test LL {ll:F3}, RMSE {scores.Rmse * sdY:F3}, cover95 {scores.Coverage95:F3}, σ_map {sigma:F4}, σ {posterior.NoiseSd:F4}, δ [{string.Join(", ", posterior.PriorPrecision.Select(p => p.ToString("G3", CultureInfo.InvariantCulture)))}], log Z {evidence.LogMarginalLikelihood:F1}"));
                }
            }
            for (int v = 0; v < variants.Count; v++)
            {
                var r = results[v];
                var lls = r.Select(x => x.Ll).ToArray();
                rows.Add(new Row(name, variants[v].Name, r.Count, lls.Average(), UciProtocol.StandardError(lls), r.Average(x => x.Rmse), r.Average(x => x.Cover),
                    mapNoise.Average(), r.Average(x => x.Noise), Math.Exp(r.Average(x => Math.Log(x.Prior))), r.Average(x => x.Evidence), r.Sum(x => x.Seconds)));
            }
        }
        return rows;
    }

    public static string Markdown(IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| dataset | variant | splits | test LL | RMSE | 95% coverage | MAP σ | tuned σ | prior precision (geometric mean) | log evidence | seconds |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows)
            text.AppendLine(FormattableString.Invariant(
                $"| {r.Dataset} | {r.Variant} | {r.Splits} | {r.TestLl:F3} ± {r.TestLlSe:F3} | {r.Rmse:F3} | {r.Coverage95:F3} | {r.MapNoiseSd:F4} | {r.NoiseSd:F4} | {r.PriorPrecision:G3} | {r.LogEvidence:F1} | {r.Seconds:F1} |"));
        return text.ToString();
    }
}
