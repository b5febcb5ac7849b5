using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Reporting;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Ensembles;
using Occam.Inference.Map;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// Speed of the foundation, measured as ratios within one run on the same data: ensemble training
/// time over one MAP training, Occam's step time vs a plain TorchSharp Adam loop, and resident
/// memory after many steps (leak check).
/// </summary>
internal static class SpeedBenchmark
{
    public static SpeedResult Run(int repeats)
    {
        using var data = Regression(455, 13, seed: 0); // Boston-sized
        var setup = new ModelSetup { Network = new MlpSpec([50]), Training = new TrainerOptions { Epochs = 40, BatchSize = 32 } };

        // Interleave the contenders in every repeat so JIT tiering and machine drift hit all alike.
        var map = new List<double>();
        var ensemble = new List<double>();
        var sequential = new List<double>();
        var occam = new List<double>();
        var plain = new List<double>();
        for (int r = -2; r < repeats; r++) // two unmeasured warm-up rounds
        {
            var m = Time(() => new MapMethod(setup).Fit(data, new FitContext(1)).Dispose());
            var e = Time(() => new EnsembleMethod(setup, new EnsembleOptions { Members = 5, Likelihood = EnsembleLikelihood.Setup }).Fit(data, new FitContext(1)).Dispose());
            var q = Time(() => new EnsembleMethod(setup, new EnsembleOptions { Members = 5, Likelihood = EnsembleLikelihood.Setup, Batched = false }).Fit(data, new FitContext(1)).Dispose());
            var o = OccamStepMicroseconds(data, 3000);
            var p = PlainStepMicroseconds(data, 3000);
            if (r < 0) continue;
            map.Add(m); ensemble.Add(e); sequential.Add(q); occam.Add(o); plain.Add(p);
        }
        double mapS = Median(map), ensembleS = Median(ensemble), occamStep = Median(occam), plainStep = Median(plain);

        var (rss100, rss10k) = ResidentMemory(data);
        return new SpeedResult(mapS, ensembleS, Median(ensemble.Zip(map, (e, m) => e / m).ToList()), Median(sequential.Zip(map, (q, m) => q / m).ToList()),
            occamStep, plainStep, Median(occam.Zip(plain, (o, p) => o / p).ToList()),
            rss100 / 1048576.0, rss10k / 1048576.0, Environment.ProcessorCount, torch.get_num_threads(), repeats);
    }

    public static string Markdown(SpeedResult r)
    {
        string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var t = new MarkdownTable(["measure", "value", "goal"]);
        t.AddRow("MAP training, 13-50-1 MLP, 455 rows, 40 epochs, batch 32 (s)", F(r.MapSeconds, 3), "");
        t.AddRow("K=5 ensemble, batched members (s)", F(r.EnsembleSeconds, 3), "");
        t.AddRow("ensemble time / MAP time (batched)", F(r.EnsembleOverMap, 2), "≤ 2");
        t.AddRow("ensemble time / MAP time (members one by one)", F(r.SequentialEnsembleOverMap, 2), "");
        t.AddRow("Occam trainer, µs per Adam step", F(r.OccamStepUs, 1), "≤ 150");
        t.AddRow("plain TorchSharp loop (Sequential + optim.Adam), µs per step", F(r.PlainTorchSharpStepUs, 1), "");
        t.AddRow("Occam step / plain step", F(r.StepRatio, 2), "");
        t.AddRow("resident memory after 100 steps (MiB)", F(r.RssAfter100StepsMiB, 1), "");
        t.AddRow("resident memory after 10,000 steps (MiB)", F(r.RssAfter10kStepsMiB, 1), "flat");
        return $"# Occam speed benchmark\n\nMedian of {r.Repeats} runs on {r.Cores} cores ({r.TorchThreads} torch threads), one process, same data.\n\n{t}\n";
    }

    /// <summary>µs per step of Occam's trainer on a 13-50-1 MLP at batch 32 (whole epochs, prior and loss bookkeeping included).</summary>
    private static double OccamStepMicroseconds(Dataset data, int steps)
    {
        using var net = new Mlp(13, [50], 1, seed: 2);
        using var likelihood = new GaussianLikelihood(1.0, learnNoise: false);
        int epochs = Math.Max(1, steps / ((int)data.Count / 32 + 1));
        var report = MapTraining.Train(net, likelihood, data, new GaussianPrior(1.0), new TrainerOptions { Epochs = epochs, BatchSize = 32 }, new FitContext(3));
        return report.Seconds * 1e6 / report.Steps;
    }

    /// <summary>µs per step of a plain TorchSharp loop: Sequential(Linear, ReLU, Linear), optim.Adam, MSE, index_select batches.</summary>
    private static double PlainStepMicroseconds(Dataset data, int steps)
    {
        using var net = nn.Sequential(nn.Linear(13, 50), nn.ReLU(), nn.Linear(50, 1));
        using var adam = optim.Adam(net.parameters(), 1e-3);
        var gen = new Generator(5);
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (done < steps)
        {
            using var perm = randperm(data.Count, generator: gen);
            for (long start = 0; start < data.Count && done < steps; start += 32, done++)
            {
                using var scope = NewDisposeScope();
                var index = perm.narrow(0, start, Math.Min(32, data.Count - start));
                var loss = nn.functional.mse_loss(net.forward(data.Inputs.index_select(0, index)), data.Targets.index_select(0, index));
                adam.zero_grad();
                loss.backward();
                adam.step();
            }
        }
        return clock.Elapsed.TotalMicroseconds / done;
    }

    private static (double After100, double After10k) ResidentMemory(Dataset data)
    {
        using var net = new Mlp(13, [50], 1, seed: 2);
        using var likelihood = new GaussianLikelihood();
        var prior = new GaussianPrior(1.0);
        var perEpoch = (int)Math.Ceiling(data.Count / 32.0);
        MapTraining.Train(net, likelihood, data, prior, new TrainerOptions { Epochs = (int)Math.Ceiling(100.0 / perEpoch) }, new FitContext(4));
        GC.Collect();
        double after100 = Process.GetCurrentProcess().WorkingSet64;
        MapTraining.Train(net, likelihood, data, prior, new TrainerOptions { Epochs = (int)Math.Ceiling(10000.0 / perEpoch) }, new FitContext(4));
        GC.Collect();
        double after10k = Process.GetCurrentProcess().WorkingSet64;
        return (after100, after10k);
    }

    /// <summary>A synthetic regression set: y = sin(x·w) + noise.</summary>
    internal static Dataset Regression(int n, int d, long seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var x = randn(new long[] { n, d }, generator: g);
        var w = randn(new long[] { d, 1 }, generator: g);
        var y = (x.matmul(w)).sin() + 0.1 * randn(new long[] { n, 1 }, generator: g);
        return new Dataset(x, y, TaskKind.Regression, name: "synthetic-13d");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The median (upper middle for an even count).</summary>
    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}

/// <summary>Numbers of one speed run (seconds, microseconds, MiB); ratios are medians of per-repeat ratios.</summary>
internal sealed record SpeedResult(double MapSeconds, double EnsembleSeconds, double EnsembleOverMap, double SequentialEnsembleOverMap,
    double OccamStepUs, double PlainTorchSharpStepUs, double StepRatio, double RssAfter100StepsMiB, double RssAfter10kStepsMiB,
    int Cores, int TorchThreads, int Repeats);
