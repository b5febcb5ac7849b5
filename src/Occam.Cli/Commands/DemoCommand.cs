using System.CommandLine;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.Map;
using Occam.Models;
using Occam.Posteriors;
using Occam.Reporting;
using Occam.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam demo</c>: MAP, a deep ensemble and MC dropout on the built-in sets (1-D regression with
/// a gap; two moons), with a comparison table, results.json / results.md and plots.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "occam-out" };
        var command = new Command("demo", "Fit MAP, a deep ensemble and MC dropout on built-in data; write a table, results.json, results.md and plots") { output };
        command.SetAction(parsed =>
        {
            long seed = parsed.GetValue(env.Common.Seed);
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var outDir = folder.Path;
            var regression = RunRegression(env, outDir, seed, device);
            var classification = RunClassification(env, outDir, seed, device);
            JsonReport.Write(Path.Combine(outDir, "results.json"), new DemoResults(ModelSchema.Version, seed, regression, classification));
            AtomicFile.WriteAllText(Path.Combine(outDir, "results.md"), Markdown(regression, classification));
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote {Markup.Escape(folder.Target)}: results.json, results.md, regression-bands.png, reliability.png");
            return 0;
        });
        return command;
    }

    private static List<RegressionRow> RunRegression(CliEnvironment env, string outDir, long seed, Device device)
    {
        // InitScale 4 starts members from diverse functions, so their disagreement survives in the
        // gap (with PyTorch's default init, ReLU members converge to nearly the same straight line
        // across it). MC dropout keeps the default init: the wide init hurts its fit.
        var wide = new ModelSetup
        {
            Network = new MlpSpec([50, 50], Activation.ReLU, InitScale: 4.0),
            Likelihood = new Likelihoods.GaussianLikelihood(),
            Training = new TrainerOptions { Epochs = 600, LearningRate = 3e-3 },
        };
        var plain = wide with { Network = new MlpSpec([50, 50]), Training = new TrainerOptions { Epochs = 300, LearningRate = 1e-2 } };
        IPosteriorMethod[] methods =
        [
            new MapMethod(wide),
            new EnsembleMethod(wide, new EnsembleOptions { Likelihood = EnsembleLikelihood.Setup }),
            new McDropoutMethod(plain, new McDropoutOptions { Samples = 200 }),
        ];
        using var train = SyntheticData.GapRegression(160, seed);
        using var test = SyntheticData.GapRegression(400, seed + 1);
        using var grid = linspace(-3, 3, 241).unsqueeze(1);
        using var gap = linspace(-0.6, 0.6, 31).unsqueeze(1);
        using var atData = cat(new[] { linspace(-1.9, -1.1, 16), linspace(1.1, 1.9, 16) }).unsqueeze(1);
        var rows = new List<RegressionRow>();
        var panels = new List<BandSeries>();
        foreach (var method in methods)
        {
            var name = method.Name;
            using var posterior = Fit(env, method, train, seed, device);
            var scores = Evaluator.Evaluate(posterior, test).Regression!;
            double gapSd = MeanSd(posterior, gap), dataSd = MeanSd(posterior, atData);
            rows.Add(new RegressionRow(name, scores.TestLogLikelihood, scores.Rmse, scores.Coverage95, gapSd, dataSd, gapSd / dataSd));
            using var p = posterior.Predict(grid);
            using var mean = p.Mean;
            using var sd = p.StandardDeviation;
            panels.Add(new BandSeries(name, Doubles(grid), Doubles(mean), Doubles(sd)));
        }
        RegressionBandPlot.Save(Path.Combine(outDir, "regression-bands.png"), panels, Doubles(train.Inputs), Doubles(train.Targets));
        var table = new Table().Title("1-D regression with a gap in (−1, 1): test set of 400 points");
        foreach (var h in new[] { "method", "test LL", "RMSE", "95% coverage", "sd in gap", "sd at data", "gap / data" }) table.AddColumn(h);
        foreach (var r in rows) table.AddRow(r.Method, F(r.TestLogLikelihood), F(r.Rmse), F(r.Coverage95), F(r.SdInGap), F(r.SdAtData), F(r.GapOverData));
        env.Console.Write(table);
        return rows;
    }

    private static List<ClassificationRow> RunClassification(CliEnvironment env, string outDir, long seed, Device device)
    {
        var setup = new ModelSetup { Network = new MlpSpec([50, 50]), Training = new TrainerOptions { Epochs = 100, LearningRate = 1e-2 } };
        using var train = SyntheticData.TwoMoons(400, 0.3, seed);
        using var test = SyntheticData.TwoMoons(1000, 0.3, seed + 1);
        var rows = new List<ClassificationRow>();
        var series = new List<ReliabilitySeries>();
        IPosteriorMethod[] methods = [new MapMethod(setup), new EnsembleMethod(setup), new McDropoutMethod(setup, new McDropoutOptions { DropoutRate = 0.1 })];
        foreach (var method in methods)
        {
            var name = method.Name;
            using var posterior = Fit(env, method, train, seed, device);
            var s = Evaluator.Evaluate(posterior, test).Classification!;
            rows.Add(new ClassificationRow(name, s.Accuracy, s.Nll, s.Ece, s.Brier));
            var bins = s.Reliability.Where(b => b.Count > 0).ToArray();
            series.Add(new ReliabilitySeries(name, bins.Select(b => b.MeanConfidence).ToArray(), bins.Select(b => b.Accuracy).ToArray(), bins.Select(b => b.Count).ToArray()));
        }
        ReliabilityPlot.Save(Path.Combine(outDir, "reliability.png"), series);
        var table = new Table().Title("two moons (noise sd 0.3): test set of 1000 points");
        foreach (var h in new[] { "method", "accuracy", "NLL", "ECE", "Brier" }) table.AddColumn(h);
        foreach (var r in rows) table.AddRow(r.Method, F(r.Accuracy), F(r.Nll), F(r.Ece), F(r.Brier));
        env.Console.Write(table);
        return rows;
    }

    private static IPosterior Fit(CliEnvironment env, IPosteriorMethod method, Dataset train, long seed, Device device) =>
        Progress.Run(env.Console, progress => method.Fit(train, new FitContext(seed, device, progress, env.Cancellation)));

    private static double MeanSd(IPosterior posterior, Tensor x)
    {
        using var p = posterior.Predict(x);
        using var sd = p.StandardDeviation;
        return sd.mean().item<double>();
    }

    private static double[] Doubles(Tensor t)
    {
        using var flat = t.reshape(-1).to_type(ScalarType.Float64).cpu();
        return flat.data<double>().ToArray();
    }

    private static string Markdown(List<RegressionRow> regression, List<ClassificationRow> classification)
    {
        var r = new MarkdownTable(["method", "test LL", "RMSE", "95% coverage", "sd in gap", "sd at data", "gap / data"]);
        foreach (var x in regression) r.AddRow(x.Method, F(x.TestLogLikelihood), F(x.Rmse), F(x.Coverage95), F(x.SdInGap), F(x.SdAtData), F(x.GapOverData));
        var c = new MarkdownTable(["method", "accuracy", "NLL", "ECE", "Brier"]);
        foreach (var x in classification) c.AddRow(x.Method, F(x.Accuracy), F(x.Nll), F(x.Ece), F(x.Brier));
        return $"# Occam demo\n\n## 1-D regression with a gap in (−1, 1)\n\n{r}\n\n![bands](regression-bands.png)\n\n## Two moons\n\n{c}\n\n![reliability](reliability.png)\n";
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private sealed record DemoResults(string OccamVersion, long Seed, List<RegressionRow> Regression, List<ClassificationRow> Classification);

    private sealed record RegressionRow(string Method, double TestLogLikelihood, double Rmse, double Coverage95, double SdInGap, double SdAtData, double GapOverData);

    private sealed record ClassificationRow(string Method, double Accuracy, double Nll, double Ece, double Brier);
}
