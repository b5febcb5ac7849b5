using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Inference.Variational;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Reporting;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Bench;

/// <summary>
/// Step time of variational training as ratios within one run, same model, data and trainer loop:
/// IVON (1 MC sample) over AdamW, and Bayes by Backprop (1 sample) over MAP training with Adam, on the UCI-sized 13-50-1 MLP (batch 32), on a 784-100-10 MLP and on
/// LeNet-5 (MNIST, batch 128). Contenders are interleaved in every repeat; medians are reported.
/// </summary>
internal static class VariationalSpeedBenchmark
{
    /// <summary>Models by short name, for <c>--models</c>.</summary>
    public static readonly string[] ModelNames = ["uci-mlp", "mnist-mlp", "lenet"];

    public static VariationalSpeedResult Run(string mnistDirectory, int repeats, int steps, IReadOnlyCollection<string> models)
    {
        using var uci = SpeedBenchmark.Regression(455, 13, seed: 0);
        using var mnist = IdxReader.LoadMnist(mnistDirectory, train: true, limit: 6400);
        var rows = new List<VariationalSpeedRow>();
        if (models.Contains("uci-mlp"))
            rows.Add(Measure("13-50-1 MLP, batch 32 (UCI size)", uci, 32, () => new Mlp(13, [50], 1, seed: 2), () => new GaussianLikelihood(1.0, learnNoise: false), repeats, steps));
        if (models.Contains("mnist-mlp"))
            rows.Add(Measure("784-100-10 MLP, batch 128 (MNIST)", mnist, 128, () => new Mlp(784, [100], 10, seed: 2) { ImageShape = [1, 28, 28] }, () => new CategoricalLikelihood(), repeats, steps));
        if (models.Contains("lenet"))
            rows.Add(Measure("LeNet-5, batch 128 (MNIST)", mnist, 128, () => new LeNet5(10, seed: 2), () => new CategoricalLikelihood(), repeats, steps));
        return new VariationalSpeedResult(rows, Environment.ProcessorCount, get_num_threads(), repeats, steps);
    }

    private static VariationalSpeedRow Measure(string model, Dataset data, int batch, Func<nn.Module<Tensor, Tensor>> network,
        Func<Likelihood> likelihood, int repeats, int steps)
    {
        var adamw = new List<double>();
        var ivon = new List<double>();
        var adam = new List<double>();
        var bbb = new List<double>();
        int epochs = Math.Max(1, steps / (int)Math.Ceiling(data.Count / (double)batch));
        for (int r = -1; r < repeats; r++) // one unmeasured warm-up round
        {
            double a = StepMicroseconds(data, batch, epochs, network, likelihood, Contender.AdamW);
            double i = StepMicroseconds(data, batch, epochs, network, likelihood, Contender.Ivon);
            double m = StepMicroseconds(data, batch, epochs, network, likelihood, Contender.Adam);
            double b = StepMicroseconds(data, batch, epochs, network, likelihood, Contender.BayesByBackprop);
            if (r < 0) continue;
            adamw.Add(a);
            ivon.Add(i);
            adam.Add(m);
            bbb.Add(b);
        }
        return new VariationalSpeedRow(model, SpeedBenchmark.Median(adamw), SpeedBenchmark.Median(ivon), SpeedBenchmark.Median(ivon.Zip(adamw, (i, a) => i / a).ToList()),
            SpeedBenchmark.Median(adam), SpeedBenchmark.Median(bbb), SpeedBenchmark.Median(bbb.Zip(adam, (b, m) => b / m).ToList()));
    }

    private enum Contender { AdamW, Ivon, Adam, BayesByBackprop }

    private static double StepMicroseconds(Dataset data, int batch, int epochs, Func<nn.Module<Tensor, Tensor>> create, Func<Likelihood> createLikelihood, Contender contender)
    {
        using var plain = create();
        using var likelihood = createLikelihood();
        var prior = new GaussianPrior(1.0);
        var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, Optimizer = contender == Contender.AdamW ? OptimizerKind.AdamW : OptimizerKind.Adam, LearningRate = 1e-3 };
        using var bayesian = contender == Contender.BayesByBackprop ? BayesianNetwork.FromNetwork(plain, 1e-2) : null;
        var run = options.Run("speed");
        var context = new FitContext(3);
        RunResult result;
        switch (contender)
        {
            case Contender.Ivon:
                var ivon = new IvonKernel(plain, likelihood, new IvonOptions { EffectiveSampleSize = data.Count, WeightDecay = 1.0 / data.Count });
                var (ivonState, ivonResult) = Runner.Run(ivon, data, run, context);
                ivonState.Dispose();
                result = ivonResult;
                break;
            case Contender.BayesByBackprop:
                var bbb = new BayesByBackpropKernel(bayesian!, likelihood, prior.Precision, 1.0, options);
                var (bbbState, bbbResult) = Runner.Run(bbb, data, run, context);
                bbbState.Dispose();
                result = bbbResult;
                break;
            default:
                result = MapTraining.Train(plain, likelihood, data, prior, options, context);
                break;
        }
        return result.Seconds * 1e6 / result.Steps;
    }

    public static string Markdown(VariationalSpeedResult r)
    {
        string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var t = new MarkdownTable(["model", "AdamW µs/step", "IVON µs/step", "IVON / AdamW (goal ≤ 1.15)", "MAP (Adam) µs/step", "BBB µs/step", "BBB / MAP (goal ≤ 2.5)"]);
        foreach (var row in r.Rows)
            t.AddRow(row.Model, F(row.AdamWStepUs, 1), F(row.IvonStepUs, 1), F(row.IvonOverAdamW, 2), F(row.MapStepUs, 1), F(row.BbbStepUs, 1), F(row.BbbOverMap, 2));
        return $"# Variational inference speed\n\nOccam's trainer loop with each optimiser or model (1 MC sample for IVON and for Bayes by Backprop); median of {r.Repeats} interleaved runs "
            + $"on {r.Cores} cores ({r.TorchThreads} torch threads), about {r.Steps} steps each.\n\n{t}\n";
    }


}

/// <summary>One model's step times (µs) and ratios (medians of per-repeat ratios).</summary>
internal sealed record VariationalSpeedRow(string Model, double AdamWStepUs, double IvonStepUs, double IvonOverAdamW, double MapStepUs, double BbbStepUs, double BbbOverMap);

/// <summary>A variational speed run.</summary>
internal sealed record VariationalSpeedResult(IReadOnlyList<VariationalSpeedRow> Rows, int Cores, int TorchThreads, int Repeats, int Steps);
