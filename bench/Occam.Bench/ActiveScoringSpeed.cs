using System.Diagnostics;
using System.Globalization;
using Occam.Active;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Models;
using Occam.Posteriors;
using Occam.Reporting;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// What scoring a pool costs against the forward passes it cannot avoid: BALD over the 60,000 MNIST training
/// images with S MC-dropout samples of LeNet-5 (Occam's acquisition path: memory-bounded prediction calls,
/// the predictive, the scores, top-b), against (1) S plain forward passes of the same network over the pool
/// with dropout on, and (2) the network's own S-pass forward (<see cref="IStackedForward.ForwardRepeated"/>,
/// the convolutions once and the head S times) that the posterior runs. The three are timed interleaved in
/// every repeat, so drift on a shared machine hits all alike; the report gives per-repeat ratios' medians.
/// </summary>
internal static class ActiveScoringSpeed
{
    public static int RunAndReport(Func<string, string?> arg)
    {
        string mnist = arg("--mnist") ?? Path.Combine("..", "shared", "data", "mnist");
        int samples = int.Parse(arg("--samples") ?? "20", CultureInfo.InvariantCulture);
        int repeats = int.Parse(arg("--repeats") ?? "5", CultureInfo.InvariantCulture);
        int batch = int.Parse(arg("--score-batch-size") ?? "2048", CultureInfo.InvariantCulture);
        string output = arg("--out") ?? Path.Combine("bench-results", "active-speed");

        using var pool = IdxReader.LoadMnist(mnist, train: true);
        using var train = pool.Subset(Enumerable.Range(0, 1000).Select(i => (long)i).ToArray());
        var setup = new ModelSetup { Network = new LeNetSpec(), Training = new TrainerOptions { Epochs = 1, BatchSize = 128 } };
        using var posterior = (WeightPosterior)new McDropoutMethod(setup, new McDropoutOptions { DropoutRate = 0.25 }).Fit(train, new FitContext(0));
        var network = posterior.Network;
        var bald = new Bald();
        using var random = new Generator(1);
        var request = new SelectionRequest(posterior, pool.Inputs, 10, new PredictOptions(samples, Seed: 1), batch, random);

        double Scoring() => Time(() => bald.Select(request));
        double Plain() => Time(() =>
        {
            using var noGrad = no_grad();
            using var dropout = new DropoutSwitch(network);
            for (long start = 0; start < pool.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                var chunk = pool.Inputs.narrow(0, start, Math.Min(batch, pool.Count - start));
                for (int s = 0; s < samples; s++) network.call(chunk).Dispose();
            }
        });
        double Repeated() => Time(() =>
        {
            using var noGrad = no_grad();
            using var dropout = new DropoutSwitch(network);
            for (long start = 0; start < pool.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                ((IStackedForward)network).ForwardRepeated(pool.Inputs.narrow(0, start, Math.Min(batch, pool.Count - start)), samples).Dispose();
            }
        });

        var scoring = new List<double>();
        var plain = new List<double>();
        var repeated = new List<double>();
        for (int r = -1; r < repeats; r++) // one unmeasured warm-up round
        {
            double p = Plain(), a = Scoring(), q = Repeated();
            if (r < 0) continue;
            plain.Add(p); scoring.Add(a); repeated.Add(q);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repeat {r + 1}: scoring {a:F2} s, {samples} plain passes {p:F2} s, the posterior's {samples}-pass forward {q:F2} s"));
        }
        var result = new ActiveSpeedResult(pool.Count, samples, batch, repeats, SpeedBenchmark.Median(scoring), SpeedBenchmark.Median(plain), SpeedBenchmark.Median(repeated),
            SpeedBenchmark.Median(scoring.Zip(plain, (a, p) => a / p).ToList()), SpeedBenchmark.Median(scoring.Zip(repeated, (a, q) => a / q).ToList()),
            Environment.ProcessorCount, get_num_threads(), scoring.ToArray(), plain.ToArray(), repeated.ToArray());
        Directory.CreateDirectory(output);
        JsonReport.Write(Path.Combine(output, "active-speed.json"), result);
        AtomicFile.WriteAllText(Path.Combine(output, "active-speed.md"), Markdown(result));
        Console.WriteLine(Markdown(result));
        return 0;
    }

    private static string Markdown(ActiveSpeedResult r)
    {
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        var t = new MarkdownTable(["measure", "median", "goal"]);
        t.AddRow($"BALD scoring of the {r.Pool:N0}-image pool, S = {r.Samples} (s)", F(r.ScoringSeconds), "");
        t.AddRow($"{r.Samples} plain forward passes of LeNet-5 over the pool, dropout on (s)", F(r.PlainSeconds), "");
        t.AddRow($"the posterior's own {r.Samples}-pass forward over the pool (s)", F(r.RepeatedSeconds), "");
        t.AddRow("scoring / plain passes", F(r.ScoringOverPlain), "≤ 1.2");
        t.AddRow("scoring / the posterior's forward (overhead of predictive, scores and top-b)", F(r.ScoringOverRepeated), "");
        return $"# Pool scoring speed\n\nMedians of {r.Repeats} interleaved repeats on {r.Cores} cores ({r.TorchThreads} torch threads), one process; prediction batches of {r.ScoreBatchSize} images.\n\n{t}\n";
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}

/// <summary>Timings of <see cref="ActiveScoringSpeed"/> (seconds; ratios are medians of per-repeat ratios).</summary>
internal sealed record ActiveSpeedResult(long Pool, int Samples, int ScoreBatchSize, int Repeats, double ScoringSeconds, double PlainSeconds, double RepeatedSeconds,
    double ScoringOverPlain, double ScoringOverRepeated, int Cores, int TorchThreads, double[] Scoring, double[] Plain, double[] Repeated);
