using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Reporting;
using Spectre.Console;
using static TorchSharp.torch;

namespace Occam.Cli;

/// <summary>How a command prints its results: a table (default), Markdown, or the JSON it also writes.</summary>
public enum OutputFormat
{
    /// <summary>A console table.</summary>
    Table,

    /// <summary>The Markdown table of results.md.</summary>
    Markdown,

    /// <summary>The JSON of results.json.</summary>
    Json,
}

/// <summary>What a run was: enough to reproduce it and to trace its result.</summary>
/// <param name="OccamVersion">The Occam version.</param>
/// <param name="Arguments">The command line.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Method">The method (with @mean when predicting at the mean).</param>
/// <param name="Options">The method's options, or null.</param>
/// <param name="TrainingFingerprint">SHA-256 of the training data, when known.</param>
/// <param name="DataFingerprint">SHA-256 of the data scored.</param>
/// <param name="FitSeconds">Wall time of the fit (null when the model was loaded).</param>
/// <param name="PredictSeconds">Wall time of the prediction.</param>
public sealed record RunRecord(string OccamVersion, string Arguments, long Seed, string Method, object? Options, string? TrainingFingerprint,
    string DataFingerprint, double? FitSeconds, double PredictSeconds);

/// <summary>Scores a posterior on data and writes what <c>fit</c> and <c>eval</c> report: results.json (run record and scores), results.md, plots, and the printed table.</summary>
public static class ResultsOutput
{
    /// <summary>--format.</summary>
    public static Option<OutputFormat> FormatOption() => new("--format") { Description = "How to print the results: table, markdown or json", DefaultValueFactory = _ => OutputFormat.Table };

    /// <summary>Predicts <paramref name="data"/>, computes its metrics, writes the files into <paramref name="directory"/> and prints them.</summary>
    public static void Evaluate(CliEnvironment env, string directory, IPosterior posterior, Dataset data, PredictOptions predict, string title,
        Func<double, RunRecord> record, OutputFormat format)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var predictive = posterior.Predict(data.Inputs, predict);
        double seconds = clock.Elapsed.TotalSeconds;
        var label = record(0).Method;
        EvaluationResult result;
        if (data.Task == TaskKind.Regression)
        {
            var scores = RegressionMetrics.Compute(predictive, data.Targets);
            result = new EvaluationResult(label, data.Name, scores, null);
            RegressionPlots(directory, predictive, data.Targets);
        }
        else
        {
            var scores = ClassificationMetrics.Compute(predictive, data.Targets);
            result = new EvaluationResult(label, data.Name, null, scores);
            var bins = scores.Reliability.Where(b => b.Count > 0).ToArray();
            ReliabilityPlot.Save(Path.Combine(directory, "reliability.png"),
                [new ReliabilitySeries(label, bins.Select(b => b.MeanConfidence).ToArray(), bins.Select(b => b.Accuracy).ToArray(), bins.Select(b => b.Count).ToArray())]);
        }
        result = result with { Sampling = Evaluation.Diagnostics.ChainDiagnostics.Of(posterior, data.Inputs) };
        Write(env, directory, [result], title, record(seconds), format);
    }

    /// <summary>Writes results.json and results.md and prints the results.</summary>
    public static void Write(CliEnvironment env, string directory, IReadOnlyList<EvaluationResult> results, string title, RunRecord run, OutputFormat format)
    {
        var (headers, rows) = Rows(results);
        var markdown = new MarkdownTable(headers);
        foreach (var r in rows) markdown.AddRow(r);
        var json = JsonReport.Serialize(new { Run = run, Results = results });
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        var sampled = results.Where(r => r.Sampling is not null).ToList();
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), $"# {title}\n\n{markdown}\n"
            + string.Concat(sampled.Select(r => $"\n## {r.Method}: convergence of {r.Sampling!.Chains} chains × {r.Sampling.DrawsPerChain} draws\n\n{SamplingOutput.Markdown(r.Sampling)}\n")));
        FormattedPrint.Table(env, format, json, markdown, title, headers, rows, console =>
        {
            foreach (var r in sampled) SamplingOutput.Print(console, r.Method, r.Sampling!);
        });
    }

    private static void RegressionPlots(string directory, Predictive predictive, Tensor targets)
    {
        using var scope = NewDisposeScope();
        double[] Column(Tensor t) => t[.., 0].to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        PredictionPlots.SaveObservedVsPredicted(Path.Combine(directory, "observed-vs-predicted.png"), Column(targets), Column(predictive.Mean),
            Column(predictive.Quantile(0.025)), Column(predictive.Quantile(0.975)), "central 95% interval");
        PredictionPlots.SaveCoverageCurve(Path.Combine(directory, "coverage.png"), [.. CoverageCurve.DefaultLevels], CoverageCurve.Compute(predictive, targets));
    }

    private static (string[] Headers, List<string[]> Rows) Rows(IReadOnlyList<EvaluationResult> results)
    {
        bool regression = results.Any(r => r.Regression is not null);
        string[] headers = regression
            ? ["data", "method", "test LL", "RMSE", "cover 50%", "cover 90%", "cover 95%", "mean sd"]
            : ["data", "method", "accuracy", "NLL", "ECE", "MCE", "Brier"];
        var rows = new List<string[]>();
        foreach (var r in results)
        {
            if (r.Regression is { } g)
                rows.Add([r.Dataset, r.Method, F(g.TestLogLikelihood), F(g.Rmse), F(g.Coverage50), F(g.Coverage90), F(g.Coverage95), F(g.MeanPredictiveSd)]);
            else if (r.Classification is { } c)
                rows.Add([r.Dataset, r.Method, F(c.Accuracy), F(c.Nll), F(c.Ece), F(c.Mce), F(c.Brier)]);
        }
        return (headers, rows);
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";
}
