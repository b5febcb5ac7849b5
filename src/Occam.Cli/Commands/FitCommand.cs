using System.CommandLine;
using System.Diagnostics;
using Occam.Core;
using Occam.Inference;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using Occam.Priors;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam fit</c>: fit a posterior to CSV / UCI / IDX data, save it with its schema, and score it on the held-out part.</summary>
public static class FitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "A .csv file, a UCI benchmark folder (data.txt + splits) or a folder of MNIST-style IDX files", Required = true };
        var method = new Option<string>("--method") { Description = $"Inference method: {string.Join(", ", env.Registry.Names)} (see occam methods); NAME@mean scores at the posterior mean", Required = true };
        var split = new Option<int>("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };
        var testFraction = new Option<double>("--test-fraction") { Description = "CSV: fraction of rows held out for testing (0 = none)", DefaultValueFactory = _ => 0.1 };
        var limit = new Option<int?>("--limit") { Description = "IDX: use at most this many training images" };
        var output = new Option<string>("--out") { Description = "Output folder: model/, results.json, results.md, plots (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-out" };
        var format = ResultsOutput.FormatOption();
        var table = new TableFlags();
        var model = new ModelOptions();
        var command = new Command("fit", "Fit a posterior to data, save it under --out/model, and report test metrics") { data, method, split, testFraction, limit, output, format };
        foreach (var o in table.All.Concat(model.All).Concat(env.MethodFlags.All)) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            long seed = parsed.GetValue(env.Common.Seed);
            var selection = env.Registry.Parse(parsed.GetValue(method)!);
            var options = env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed))[0];
            using var outDir = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var (train, test) = DataSource.ForFit(parsed.GetValue(data)!, parsed, table, split, testFraction, limit, seed);
            using (train)
            using (test)
            {
                var setup = model.Setup(parsed, train.Task, train.InputShape);
                var fitter = selection.Entry.Create(setup, options);
                env.Console.MarkupLine($"fitting [bold]{Markup.Escape(selection.Label)}[/] on {Markup.Escape(train.Name)} ({train.Count} rows, {train.Task.ToString().ToLowerInvariant()}), {Markup.Escape(setup.Network.Describe())}");
                var clock = Stopwatch.StartNew();
                using var posterior = Progress.Run(env.Console, progress => fitter.Fit(train, new FitContext(seed, device, progress, env.Cancellation)));
                double fitSeconds = clock.Elapsed.TotalSeconds;
                posterior.Save(Path.Combine(outDir.Path, "model"));
                if (posterior is IEvidence evidence) ReportEvidence(env, outDir.Path, selection.Label, evidence.Evidence);
                if (setup.Prior is SpikeAndSlabPrior spikeSlab) InclusionOutput.Report(env.Console, outDir.Path, selection.Label, spikeSlab, posterior, train.FeatureNames);
                var evalSet = test ?? train;
                var schema = (posterior as Posterior)?.Frame.Schema;
                ResultsOutput.Evaluate(env, outDir.Path, posterior, evalSet, new PredictOptions(AtMean: selection.AtMean, Seed: seed),
                    test is null ? "training-set metrics (no test set)" : "test metrics",
                    predictSeconds => new RunRecord(ModelSchema.Version, Environment.CommandLine, seed, selection.Label, options, schema?.DataFingerprint,
                        ModelSchema.Fingerprint(evalSet), fitSeconds, predictSeconds),
                    parsed.GetValue(format));
                env.Cancellation.ThrowIfCancellationRequested();
                outDir.Commit();
                env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir.Target)}[/]: model/, results.json, results.md and plots");
            }
            return 0;
        });
        return command;
    }

    private static void ReportEvidence(CliEnvironment env, string outDir, string method, EvidenceReport e)
    {
        string prior = e.PriorPrecision.Length > 0 ? $"prior precision {string.Join(" / ", e.PriorPrecision.Select(p => p.ToString("G4")))}, " : "";
        string noise = e.NoiseSd is { } sd ? $"noise sd {sd:G4} (standardised units), " : "";
        env.Console.MarkupLine(Markup.Escape($"{method} ({e.Parameters} parameters): {prior}{noise}log evidence {e.LogMarginalLikelihood:F2} = data fit {e.DataFit:F2} + Occam factor {e.OccamFactor:F2}"));
        JsonReport.Write(Path.Combine(outDir, "evidence.json"), e);
    }
}
