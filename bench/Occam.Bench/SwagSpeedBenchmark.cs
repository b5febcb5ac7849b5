using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Reporting;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// SWAG's cost as ratios from one run, contenders interleaved in every repeat (medians of per-repeat
/// ratios): (1) the collection phase, SGD on the runner with the SWAG collector (K = 20 deviations),
/// against the same SGD run without it, for the same epochs, collecting once per epoch (the default) and,
/// for reference, after every step, in an order that rotates every repeat; on the UCI-sized 13-50-1 MLP
/// (N = 455, batch 32, 200 epochs, so that one run lasts about a second) and on LeNet-5
/// (6,400 MNIST images, batch 128); (2) a whole MultiSWAG fit with K = 5 stacked members against one
/// SWAG fit, both under the UCI protocol's setup (40 epochs: 20 of Adam, 20 of SGD collection).
/// </summary>
internal static class SwagSpeedBenchmark
{
    /// <summary>Runs the benchmark, writes speed-swag.json and speed-swag.md under <paramref name="outDir"/> and prints the table.</summary>
    public static int RunAndReport(string outDir, string mnistDirectory, int repeats)
    {
        var result = Run(mnistDirectory, repeats);
        Directory.CreateDirectory(outDir);
        JsonReport.Write(Path.Combine(outDir, "speed-swag.json"), result);
        var markdown = Markdown(result);
        AtomicFile.WriteAllText(Path.Combine(outDir, "speed-swag.md"), markdown);
        Console.WriteLine(markdown);
        return 0;
    }

    public static SwagSpeedResult Run(string mnistDirectory, int repeats)
    {
        using var uci = SpeedBenchmark.Regression(455, 13, seed: 0);
        using var mnist = IdxReader.LoadMnist(mnistDirectory, train: true, limit: 6400);
        var rows = new List<CollectionRow>
        {
            Collection("13-50-1 MLP, batch 32 (UCI size), 200 epochs", uci, 32, 200, () => new Mlp(13, [50], 1, seed: 2), () => new GaussianLikelihood(), repeats),
            Collection("LeNet-5, batch 128 (6,400 MNIST images), 3 epochs", mnist, 128, 3, () => new LeNet5(10, seed: 2), () => new CategoricalLikelihood(), repeats),
        };
        var (swag, multi, ratio) = MultiSwag(uci, repeats);
        return new SwagSpeedResult(rows, swag, multi, ratio, Environment.ProcessorCount, get_num_threads(), repeats);
    }

    private static CollectionRow Collection(string model, Dataset data, int batch, int epochs, Func<nn.Module<Tensor, Tensor>> network, Func<Likelihood> likelihood, int repeats)
    {
        var plain = new List<double>();
        var perEpoch = new List<double>();
        var perStep = new List<double>();
        int batches = new RunOptions { BatchSize = batch }.BatchesPerEpoch(data.Count);
        var variants = new (List<double> Seconds, long? Thin)[] { (plain, null), (perEpoch, batches), (perStep, 1) };
        for (int r = -1; r < repeats; r++) // one unmeasured warm-up round
        {
            // The order rotates every repeat, so no variant always runs first or right after another.
            for (int k = 0; k < variants.Length; k++)
            {
                var (seconds, thin) = variants[(k + r + 1) % variants.Length];
                double t = Sgd(data, batch, epochs, network, likelihood, thin);
                if (r >= 0) seconds.Add(t);
            }
        }
        return new CollectionRow(model, epochs, SpeedBenchmark.Median(plain), SpeedBenchmark.Median(perEpoch), SpeedBenchmark.Median(perStep),
            SpeedBenchmark.Median(perEpoch.Zip(plain, (a, b) => a / b).ToList()), SpeedBenchmark.Median(perStep.Zip(plain, (a, b) => a / b).ToList()));
    }

    /// <summary>Seconds of an SGD run of <paramref name="epochs"/>, with a SWAG collector every <paramref name="thin"/> steps (none when null).</summary>
    private static double Sgd(Dataset data, int batch, int epochs, Func<nn.Module<Tensor, Tensor>> create, Func<Likelihood> createLikelihood, long? thin)
    {
        using var network = create();
        using var likelihood = createLikelihood();
        var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2 };
        var kernel = new MapKernel(network, likelihood, new GaussianPrior(1.0), options);
        var space = WeightSpace.Of(network);
        using var collector = new SwagCollector(space.Get, SwagCollectionOptions.DefaultMaxRank);
        var run = options.Run("speed") with { Thin = thin ?? 1 };
        var clock = Stopwatch.StartNew();
        var (state, _) = thin is null ? Runner.Run(kernel, data, run, new FitContext(3)) : Runner.Run(kernel, data, run, new FitContext(3), collector);
        state.Dispose();
        return clock.Elapsed.TotalSeconds;
    }

    private static (double Swag, double MultiSwag, double Ratio) MultiSwag(Dataset data, int repeats)
    {
        var setup = new ModelSetup
        {
            Network = new MlpSpec([50]),
            Training = new TrainerOptions { Epochs = 40, BatchSize = 32, LearningRate = 1e-2 },
        };
        var single = new List<double>();
        var multi = new List<double>();
        for (int r = -1; r < repeats; r++)
        {
            double s = Fit(new SwagMethod(setup), data);
            double m = Fit(new MultiSwagMethod(setup, new MultiSwagOptions { Members = 5 }), data);
            if (r < 0) continue;
            single.Add(s);
            multi.Add(m);
        }
        return (SpeedBenchmark.Median(single), SpeedBenchmark.Median(multi), SpeedBenchmark.Median(multi.Zip(single, (a, b) => a / b).ToList()));
    }

    private static double Fit(IPosteriorMethod method, Dataset data)
    {
        var clock = Stopwatch.StartNew();
        using var posterior = method.Fit(data, new FitContext(5));
        return clock.Elapsed.TotalSeconds;
    }

    public static string Markdown(SwagSpeedResult r)
    {
        string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var t = new MarkdownTable(["model", "plain SGD (s)", "with SWAG collection every epoch (s)", "ratio (goal ≤ 1.1)", "collection every step (s)", "ratio"]);
        foreach (var row in r.Collection)
            t.AddRow(row.Model, F(row.PlainSeconds, 3), F(row.PerEpochSeconds, 3), F(row.PerEpochOverPlain, 3), F(row.PerStepSeconds, 3), F(row.PerStepOverPlain, 3));
        var m = new MarkdownTable(["fit (UCI protocol setup, 13-50-1 MLP, N = 455, 40 epochs)", "seconds", "ratio (goal ≤ 1.5)"]);
        m.AddRow("swag", F(r.SwagSeconds, 3), "");
        m.AddRow("multiswag, K = 5 stacked members", F(r.MultiSwagSeconds, 3), F(r.MultiSwagOverSwag, 3));
        return $"# SWAG speed\n\nMedians of {r.Repeats} interleaved repeats (ratios: medians of per-repeat ratios) on {r.Cores} cores ({r.TorchThreads} torch threads).\n\n"
            + $"## Collection against plain SGD, same epochs\n\n{t}\n## MultiSWAG against SWAG\n\n{m}\n";
    }
}

/// <summary>One model's collection cost: seconds and ratios to plain SGD.</summary>
internal sealed record CollectionRow(string Model, int Epochs, double PlainSeconds, double PerEpochSeconds, double PerStepSeconds, double PerEpochOverPlain, double PerStepOverPlain);

/// <summary>A SWAG speed run.</summary>
internal sealed record SwagSpeedResult(IReadOnlyList<CollectionRow> Collection, double SwagSeconds, double MultiSwagSeconds, double MultiSwagOverSwag,
    int Cores, int TorchThreads, int Repeats);
