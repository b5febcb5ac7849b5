using System.CommandLine;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam fit</c>: fit a posterior to CSV / UCI / IDX data, save it, and score it on the held-out part.</summary>
public static class FitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "A .csv file, a UCI benchmark folder (data.txt + splits) or a folder of MNIST-style IDX files", Required = true };
        var method = new Option<string>("--method") { Description = $"Inference method: {string.Join(", ", env.Registry.Names)} (see occam methods)", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV: target column, by header name or 0-based index" };
        var task = new Option<TaskKind?>("--task") { Description = "CSV: regression or classification (default: inferred from the target column)" };
        var split = new Option<int>("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };
        var testFraction = new Option<double>("--test-fraction") { Description = "CSV: fraction of rows held out for testing (0 = none)", DefaultValueFactory = _ => 0.1 };
        var limit = new Option<int?>("--limit") { Description = "IDX: use at most this many training images" };
        var output = new Option<string>("--out") { Description = "Output folder: model/, results.json, results.md", DefaultValueFactory = _ => "occam-out" };
        var model = new ModelOptions();
        var command = new Command("fit", "Fit a posterior to data, save it under --out/model, and report test metrics")
        {
            data, method, target, task, split, testFraction, limit, output,
        };
        foreach (var o in model.All.Concat(env.MethodFlags.All)) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            long seed = parsed.GetValue(env.Common.Seed);
            var selection = env.Registry.Parse(parsed.GetValue(method)!);
            var options = env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed))[0];
            var (train, test) = DataSource.Load(parsed.GetValue(data)!, parsed.GetValue(target), parsed.GetValue(task),
                parsed.GetValue(split), parsed.GetValue(testFraction), seed, parsed.GetValue(limit));
            using (train)
            using (test)
            {
                var setup = model.Setup(parsed, train.Task);
                var fitter = selection.Entry.Create(setup, options);
                var outDir = parsed.GetValue(output)!;
                env.Console.MarkupLine($"fitting [bold]{Markup.Escape(selection.Label)}[/] on {Markup.Escape(train.Name)} ({train.Count} rows, {train.Task.ToString().ToLowerInvariant()}), {Markup.Escape(setup.Network.Describe())}");
                using var posterior = Progress.Run(env.Console, progress => fitter.Fit(train, new FitContext(seed, device, progress)));
                try
                {
                    posterior.Save(Path.Combine(outDir, "model"));
                }
                catch (ArgumentException e)
                {
                    env.Console.MarkupLine($"[yellow]note:[/] model not saved: {Markup.Escape(e.Message)}");
                }
                if (posterior is IEvidence evidence) ReportEvidence(env, outDir, selection.Label, evidence.Evidence);
                var evalSet = test ?? train;
                var result = Evaluator.Evaluate(posterior, evalSet, new PredictOptions(AtMean: selection.AtMean)) with { Method = selection.Label };
                ResultsOutput.Write(env.Console, outDir, [result], test is null ? "training-set metrics (no test set)" : "test metrics");
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
        Directory.CreateDirectory(outDir);
        JsonReport.Write(Path.Combine(outDir, "evidence.json"), e);
    }
}
