using System.CommandLine;
using System.Diagnostics;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Posteriors;
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
        var args = new FitArguments(env, env.Common);
        var command = new Command("fit", "Fit a posterior to data, save it under --out/model, and report test metrics");
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            var request = args.Read(parsed);
            using var outDir = OutputFolder.Begin(parsed.GetValue(args.Output)!, "--out");
            var (train, test) = args.LoadData(parsed, request.Seed);
            using (train)
            using (test)
            {
                var fitter = args.CreateMethod(parsed, request, train);
                env.Console.MarkupLine($"fitting [bold]{Markup.Escape(request.Selection.Label)}[/] on {Markup.Escape(train.Name)} ({train.Count} rows, {train.Task.ToString().ToLowerInvariant()}), {Markup.Escape(fitter.Setup.Network.Describe())}");
                var clock = Stopwatch.StartNew();
                using var posterior = Progress.Run(env.Console, progress => fitter.Fit(train, new FitContext(request.Seed, request.Device, progress, env.Cancellation)));
                double fitSeconds = clock.Elapsed.TotalSeconds;
                posterior.Save(Path.Combine(outDir.Path, "model"));
                Report(env, outDir.Path, posterior, fitter.Setup.Prior, request, train, test, fitSeconds, parsed.GetValue(args.Format));
                env.Cancellation.ThrowIfCancellationRequested();
                outDir.Commit();
                env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir.Target)}[/]: model/, results.json, results.md and plots");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Writes what fit reports beside the saved model: the evidence (when known), the posterior inclusion
    /// probabilities (spike-and-slab prior), the test (or training) metrics, results.json, results.md and plots.
    /// </summary>
    internal static void Report(CliEnvironment env, string directory, IPosterior posterior, IPrior prior, FitRequest request, Dataset train, Dataset? test, double fitSeconds, OutputFormat format)
    {
        if (posterior is IEvidence evidence) ReportEvidence(env, directory, request.Selection.Label, evidence.Evidence);
        if (prior is SpikeAndSlabPrior spikeSlab) InclusionOutput.Report(env.Console, directory, request.Selection.Label, spikeSlab, posterior, train.FeatureNames);
        var evalSet = test ?? train;
        var schema = (posterior as Posterior)?.Frame.Schema;
        ResultsOutput.Evaluate(env, directory, posterior, evalSet, new PredictOptions(AtMean: request.Selection.AtMean, Seed: request.Seed),
            test is null ? "training-set metrics (no test set)" : "test metrics",
            predictSeconds => new RunRecord(ModelSchema.Version, Environment.CommandLine, request.Seed, request.Selection.Label, request.Options, schema?.DataFingerprint,
                ModelSchema.Fingerprint(evalSet), fitSeconds, predictSeconds),
            format);
    }

    private static void ReportEvidence(CliEnvironment env, string outDir, string method, EvidenceReport e)
    {
        string prior = e.PriorPrecision.Length > 0 ? $"prior precision {string.Join(" / ", e.PriorPrecision.Select(p => p.ToString("G4")))}, " : "";
        string noise = e.NoiseSd is { } sd ? $"noise sd {sd:G4} (standardised units), " : "";
        env.Console.MarkupLine(Markup.Escape($"{method} ({e.Parameters} parameters): {prior}{noise}log evidence {e.LogMarginalLikelihood:F2} = data fit {e.DataFit:F2} + Occam factor {e.OccamFactor:F2}"));
        JsonReport.Write(Path.Combine(outDir, "evidence.json"), e);
    }
}
