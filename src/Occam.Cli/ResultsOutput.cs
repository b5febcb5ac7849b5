using System.Globalization;
using Occam.Evaluation;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Prints evaluation results as a table and writes them to results.json and results.md (atomically).</summary>
public static class ResultsOutput
{
    /// <summary>Prints and writes <paramref name="results"/> under <paramref name="directory"/>.</summary>
    public static void Write(IAnsiConsole console, string directory, IReadOnlyList<EvaluationResult> results, string title)
    {
        var (headers, rows) = Rows(results);
        var table = new Table().Title(title);
        foreach (var h in headers) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
        console.Write(table);
        Directory.CreateDirectory(directory);
        JsonReport.Write(Path.Combine(directory, "results.json"), results);
        var md = new MarkdownTable(headers);
        foreach (var r in rows) md.AddRow(r);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), $"# {title}\n\n{md}\n");
        console.MarkupLine($"wrote [bold]{Markup.Escape(Path.Combine(directory, "results.json"))}[/] and results.md");
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

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
