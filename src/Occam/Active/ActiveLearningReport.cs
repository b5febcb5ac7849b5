using System.Globalization;
using System.Text;
using Occam.Reporting;

namespace Occam.Active;

/// <summary>The content of an active-learning report: settings, the summaries over seeds and every run's rounds.</summary>
/// <param name="Title">What was run.</param>
/// <param name="Settings">The run's settings, by name.</param>
/// <param name="Summaries">One per method and acquisition function.</param>
/// <param name="Runs">Every run.</param>
public sealed record ActiveLearningResults(string Title, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<CurveSummary> Summaries, IReadOnlyList<ActiveLearningRun> Runs);

/// <summary>
/// Writes active-learning results: <c>results.json</c> (settings, summaries, every round of every run),
/// <c>results.md</c> (labels needed to reach each test error, final scores, the curves at a few sizes) and one
/// <c>learning-curves-METHOD.png</c> per method (accuracy and NLL, or RMSE and test log-likelihood, against
/// labels: one line per acquisition function, the mean over seeds, shaded over their range).
/// </summary>
public static class ActiveLearningReport
{
    /// <summary>The test errors whose label counts are reported by default (10% and 5%, as in Gal, Islam &amp; Ghahramani 2017).</summary>
    public static IReadOnlyList<double> DefaultErrors { get; } = [0.10, 0.05];

    /// <summary>Summarises <paramref name="runs"/> and writes the three kinds of file into <paramref name="directory"/>.</summary>
    public static ActiveLearningResults Write(string directory, string title, IReadOnlyDictionary<string, string> settings, IReadOnlyList<ActiveLearningRun> runs,
        IReadOnlyList<double>? errors = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(runs);
        var results = new ActiveLearningResults(title, settings, LearningCurves.Summarise(runs, errors ?? DefaultErrors), runs);
        Directory.CreateDirectory(directory);
        JsonReport.Write(Path.Combine(directory, "results.json"), results);
        foreach (var method in results.Summaries.Select(s => s.Method).Distinct())
            Plot(Path.Combine(directory, PlotName(method)), results.Summaries.Where(s => s.Method == method).ToList());
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), Markdown(results));
        return results;
    }

    /// <summary>The PNG file name of a method's curves.</summary>
    public static string PlotName(string method) => $"learning-curves-{method}.png";

    /// <summary>The Markdown report.</summary>
    public static string Markdown(ActiveLearningResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append("# ").Append(results.Title).Append("\n\n");
        foreach (var (key, value) in results.Settings) text.Append("- ").Append(key).Append(": ").Append(value).Append('\n');
        foreach (var method in results.Summaries.Select(s => s.Method).Distinct())
        {
            var summaries = results.Summaries.Where(s => s.Method == method).ToList();
            text.Append("\n## ").Append(method).Append("\n\n");
            bool classification = summaries[0].Metrics.ContainsKey("accuracy");
            text.Append(classification ? ClassificationTable(summaries) : RegressionTable(summaries)).Append('\n');
            text.Append(CurveTable(summaries, classification ? "accuracy" : "rmse")).Append('\n');
            text.Append($"![learning curves of {method}]({PlotName(method)})\n");
        }
        return text.ToString();
    }

    private static string ClassificationTable(IReadOnlyList<CurveSummary> summaries)
    {
        var thresholds = summaries[0].Thresholds.Select(t => t.Error).ToList();
        var headers = new List<string> { "acquisition", "seeds" };
        foreach (var e in thresholds) headers.Add($"acquired to {Percent(e)} error (mean curve; per seed)");
        headers.AddRange(["final labels", "final accuracy", "final NLL", "mean accuracy over the curve"]);
        var table = new MarkdownTable(headers);
        foreach (var s in summaries)
        {
            var row = new List<string?> { s.Acquisition, s.Seeds.Length.ToString(CultureInfo.InvariantCulture) };
            foreach (var t in s.Thresholds)
                row.Add($"{Count(t.Acquired)} ({string.Join(", ", t.PerSeedAcquired.Select(Count))})");
            var accuracy = s.Metrics["accuracy"];
            var nll = s.Metrics["nll"];
            row.Add(s.Labels.Length > 0 ? s.Labels[^1].ToString(CultureInfo.InvariantCulture) : "");
            row.Add(Last(accuracy, 4));
            row.Add(Last(nll, 4));
            row.Add(accuracy.Mean.Length > 0 ? Format.Number(accuracy.Mean.Average(), 4) : "");
            table.AddRow(row);
        }
        return table.ToString();
    }

    private static string RegressionTable(IReadOnlyList<CurveSummary> summaries)
    {
        var table = new MarkdownTable(["acquisition", "seeds", "final labels", "final RMSE", "final test LL", "mean RMSE over the curve", "mean test LL over the curve"]);
        foreach (var s in summaries)
        {
            var rmse = s.Metrics["rmse"];
            var ll = s.Metrics["test_ll"];
            table.AddRow(s.Acquisition, s.Seeds.Length.ToString(CultureInfo.InvariantCulture), s.Labels.Length > 0 ? s.Labels[^1].ToString(CultureInfo.InvariantCulture) : "",
                Last(rmse, 4), Last(ll, 4), rmse.Mean.Length > 0 ? Format.Number(rmse.Mean.Average(), 4) : "", ll.Mean.Length > 0 ? Format.Number(ll.Mean.Average(), 4) : "");
        }
        return table.ToString();
    }

    /// <summary>The metric's mean over seeds at about eight labelled-set sizes along the curve.</summary>
    private static string CurveTable(IReadOnlyList<CurveSummary> summaries, string metric)
    {
        var labels = summaries.MinBy(s => s.Labels.Length)!.Labels;
        if (labels.Length == 0) return "";
        var picks = Enumerable.Range(0, 8).Select(i => (int)Math.Round(i * (labels.Length - 1) / 7.0)).Distinct().ToList();
        var table = new MarkdownTable([$"{metric} at labels", .. picks.Select(i => labels[i].ToString(CultureInfo.InvariantCulture))]);
        foreach (var s in summaries)
            table.AddRow([s.Acquisition, .. picks.Select(i => Format.Number(s.Metrics[metric].Mean[i], 4))]);
        return table.ToString();
    }

    private static void Plot(string path, IReadOnlyList<CurveSummary> summaries)
    {
        bool classification = summaries[0].Metrics.ContainsKey("accuracy");
        var names = classification ? new[] { ("accuracy", "test accuracy"), ("nll", "test NLL (nats)") } : [("rmse", "test RMSE"), ("test_ll", "test log-likelihood (nats)")];
        var panels = names.Select(n => new CurvePanel(n.Item2, summaries.Where(s => s.Labels.Length > 0).Select(s =>
        {
            var m = s.Metrics[n.Item1];
            return new CurveSeries(s.Acquisition, s.Labels.Select(l => (double)l).ToArray(), m.Mean, m.Min, m.Max);
        }).ToList())).Where(p => p.Series.Count > 0).ToList();
        if (panels.Count == 0) return;
        int seeds = summaries.Max(s => s.Seeds.Length);
        LearningCurvePlot.Save(path, panels, "labelled points", $"{summaries[0].Method}: mean over {seeds} seed{(seeds == 1 ? "" : "s")}, band = range");
    }

    private static string Last(CurveStatistics statistics, int digits) =>
        statistics.Mean.Length == 0 ? "" : Format.MeanSe(statistics.Mean[^1], statistics.Sd[^1], digits);

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "not reached";

    private static string Percent(double error) => (100 * error).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
