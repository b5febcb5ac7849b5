using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Inference.Sampling;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Reporting;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// Sampler speed as ratios within one run, on the UCI-sized 13-50-1 MLP (455 rows, learned noise, Gaussian
/// prior): an SGLD and an SGHMC step against an SGD step of Occam's trainer (batch 32, same runner); K = 4
/// SGHMC chains batched along the member dimension against one chain; and full-batch HMC's gradient
/// evaluations per second against a plain loop of full-batch gradients of the same network and posterior.
/// Contenders alternate within every repeat; medians of per-repeat ratios are reported.
/// </summary>
internal static class SamplingSpeedBenchmark
{
    /// <summary>Runs the benchmark and writes speed-sampling.json and .md under <paramref name="directory"/>; returns the exit code.</summary>
    public static int Execute(string directory, int repeats, int epochs)
    {
        var result = Run(repeats, epochs);
        Directory.CreateDirectory(directory);
        JsonReport.Write(Path.Combine(directory, "speed-sampling.json"), result);
        AtomicFile.WriteAllText(Path.Combine(directory, "speed-sampling.md"), Markdown(result));
        Console.WriteLine(Markdown(result));
        return 0;
    }

    public static SamplingSpeedResult Run(int repeats, int epochs)
    {
        using var data = SpeedBenchmark.Regression(455, 13, seed: 0);
        var sgd = new List<double>();
        var sgld = new List<double>();
        var sghmc = new List<double>();
        var one = new List<double>();
        var four = new List<double>();
        var hmc = new List<double>();
        var plain = new List<double>();
        for (int r = -1; r < repeats; r++) // one unmeasured warm-up round
        {
            double a = SgdStep(data, epochs);
            double b = SamplerStep(data, epochs, 1, t => new SgldKernel(t, 0.01));
            double c = SamplerStep(data, epochs, 1, t => new SghmcKernel(t, 0.01, 0.9));
            double d = SamplerStep(data, epochs, 4, t => new SghmcKernel(t, 0.01, 0.9));
            double e = HmcGradientsPerSecond(data, 40);
            double f = PlainGradientsPerSecond(data, 2000);
            if (r < 0) continue;
            sgd.Add(a);
            sgld.Add(b);
            sghmc.Add(c);
            one.Add(c);
            four.Add(d);
            hmc.Add(e);
            plain.Add(f);
        }
        double M(List<double> x) => SpeedBenchmark.Median(x);
        return new SamplingSpeedResult(M(sgd), M(sgld), M(sghmc), M(sgld.Zip(sgd, (x, y) => x / y).ToList()), M(sghmc.Zip(sgd, (x, y) => x / y).ToList()),
            M(four), M(four.Zip(one, (x, y) => x / y).ToList()), M(hmc), M(plain), M(hmc.Zip(plain, (x, y) => x / y).ToList()),
            Environment.ProcessorCount, get_num_threads(), repeats, epochs);
    }

    private static Mlp Network(int members) => new(13, [50], 1, members: members, seed: 2);

    /// <summary>µs per step of MAP training with SGD (momentum 0.9) on the runner.</summary>
    private static double SgdStep(Dataset data, int epochs)
    {
        using var network = Network(1);
        using var likelihood = new GaussianLikelihood();
        var options = new TrainerOptions { Epochs = epochs, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-3 };
        var result = MapTraining.Train(network, likelihood, data, new GaussianPrior(1.0), options, new FitContext(3));
        return result.Seconds * 1e6 / result.Steps;
    }

    /// <summary>µs per step of a sampler kernel on the runner (K stacked chains, each with its own batches).</summary>
    private static double SamplerStep(Dataset data, int epochs, int chains, Func<SamplerTarget, IKernel<SamplerState>> kernel)
    {
        using var network = Network(chains);
        using var likelihood = new GaussianLikelihood().ForMembers(chains);
        var target = new SamplerTarget(network, likelihood, new GaussianPrior(1.0));
        var (state, result) = Runner.Run(kernel(target), data, new RunOptions { Epochs = epochs, BatchSize = 32, Members = chains }, new FitContext(3));
        state.Dispose();
        return result.Seconds * 1e6 / result.Steps;
    }

    /// <summary>Gradient evaluations per second of full-batch HMC (one chain, fixed step, 50 leapfrog steps per iteration).</summary>
    private static double HmcGradientsPerSecond(Dataset data, int iterations)
    {
        using var network = Network(1);
        using var likelihood = new GaussianLikelihood().ForMembers(1);
        var target = new SamplerTarget(network, likelihood, new GaussianPrior(1.0));
        var kernel = new HmcKernel(new NetworkPotential(target, 1), new HmcSettings(WarmUp: 0, StepSize: 1e-4, TrajectoryLength: 50e-4, MaxLeapfrogSteps: 50, Mass: MassMatrix.Identity));
        var clock = Stopwatch.StartNew();
        var (state, _) = Runner.Run(kernel, data, new RunOptions { Epochs = iterations, BatchSize = (int)data.Count, Shuffle = false }, new FitContext(3));
        double seconds = clock.Elapsed.TotalSeconds;
        long evaluations = state.GradientEvaluations;
        state.Dispose();
        return evaluations / seconds;
    }

    /// <summary>Full-batch gradients per second of the same network and posterior in a plain loop: zero, forward, NLL sum, backward, prior gradient.</summary>
    private static double PlainGradientsPerSecond(Dataset data, int count)
    {
        using var network = Network(1);
        using var likelihood = new GaussianLikelihood().ForMembers(1);
        var prior = new GaussianPrior(1.0);
        var space = WeightSpace.Of(network);
        var parameters = space.Parameters.Concat(likelihood.Parameters).ToList();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            foreach (var p in parameters) p.grad?.zero_();
            likelihood.NegativeLogLikelihood(network.call(data.Inputs), data.Targets).sum().backward();
            prior.AddNegativeLogDensityGradient(space, 1.0);
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    public static string Markdown(SamplingSpeedResult r)
    {
        string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var t = new MarkdownTable(["measure", "value", "goal"]);
        t.AddRow("SGD step (Occam trainer, momentum 0.9), µs", F(r.SgdStepUs, 1), "");
        t.AddRow("SGLD step, µs", F(r.SgldStepUs, 1), "");
        t.AddRow("SGHMC step, µs", F(r.SghmcStepUs, 1), "");
        t.AddRow("SGLD step / SGD step", F(r.SgldOverSgd, 3), "≤ 1.05");
        t.AddRow("SGHMC step / SGD step", F(r.SghmcOverSgd, 3), "≤ 1.05");
        t.AddRow("SGHMC step, K = 4 batched chains, µs", F(r.FourChainStepUs, 1), "");
        t.AddRow("K = 4 batched chains / one chain", F(r.FourOverOne, 3), "≤ 1.5");
        t.AddRow("HMC gradient evaluations per second", F(r.HmcGradientsPerSecond, 0), "");
        t.AddRow("plain full-batch gradients per second", F(r.PlainGradientsPerSecond, 0), "");
        t.AddRow("HMC / plain gradients per second", F(r.HmcOverPlain, 3), "≥ 0.9");
        return $"# Sampler speed\n\n13-50-1 MLP, 455 rows (UCI size), learned noise, Gaussian prior; batch 32 for the stochastic-gradient steps ({r.Epochs} epochs per run), all rows for HMC. "
            + $"Median of {r.Repeats} interleaved repeats (ratios: medians of per-repeat ratios) on {r.Cores} cores ({r.TorchThreads} torch threads).\n\n{t}\n";
    }
}

/// <summary>A sampler speed run (times in µs per step; ratios are medians of per-repeat ratios).</summary>
internal sealed record SamplingSpeedResult(double SgdStepUs, double SgldStepUs, double SghmcStepUs, double SgldOverSgd, double SghmcOverSgd,
    double FourChainStepUs, double FourOverOne, double HmcGradientsPerSecond, double PlainGradientsPerSecond, double HmcOverPlain,
    int Cores, int TorchThreads, int Repeats, int Epochs);
