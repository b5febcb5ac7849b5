using System.Globalization;
using Occam.Evaluation;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>What <c>occam bench mnist</c> writes to results.json.</summary>
/// <param name="DataDir">The MNIST folder, as given.</param>
/// <param name="OodDir">The notMNIST folder used, or null when OOD was skipped.</param>
/// <param name="Settings">Training and evaluation settings.</param>
/// <param name="Methods">Each method's options, as "name=value" pairs.</param>
/// <param name="Rows">One row per method and prediction variant.</param>
public sealed record MnistBenchReport(string DataDir, string? OodDir, MnistProtocolOptions Settings, IReadOnlyDictionary<string, string> Methods, IReadOnlyList<MnistRow> Rows);

/// <summary>Prints and writes the results of <c>occam bench mnist</c>: a table of the main metrics and a table of the rotation curve.</summary>
public static class BenchMnistReport
{
    private static readonly string[] MainHeaders = ["method", "train", "test", "accuracy", "NLL", "ECE", "Brier", "OOD AUROC (entropy)", "OOD AUROC (MI)", "fit s", "predict s"];
    private static readonly string[] ConsoleHeaders = ["method", "acc", "NLL", "ECE", "Brier", "AUROC H", "AUROC MI", "fit s", "pred s"];
    private static readonly string[] CurveHeaders = ["angle", "method", "accuracy", "NLL", "ECE"];

    /// <summary>Writes results.json and results.md under <paramref name="directory"/> (atomically).</summary>
    public static void Write(string directory, MnistBenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        JsonReport.Write(Path.Combine(directory, "results.json"), report);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), Markdown(report));
    }

    /// <summary>Prints the two tables.</summary>
    public static void Print(IAnsiConsole console, IReadOnlyList<MnistRow> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        var main = rows.Select(r => new[]
        {
            r.Method, Format.Number(r.Accuracy, 4), Format.Number(r.Nll, 3), Format.Number(r.Ece, 3), Format.Number(r.Brier, 3),
            F(r.OodAurocEntropy, 3), F(r.OodAurocMutualInformation, 3), Format.Number(r.FitSeconds, 1), Format.Number(r.PredictSeconds, 1),
        });
        console.Write(Table("MNIST, LeNet-5: test metrics; OOD AUROC of entropy (H) and mutual information (MI)", ConsoleHeaders, main));
        console.Write(Table("Rotated MNIST test images", CurveHeaders, CurveRows(rows)));
    }

    private static string Markdown(MnistBenchReport report)
    {
        var s = report.Settings;
        var first = report.Rows.Count > 0 ? report.Rows[0] : null;
        var ood = report.OodDir is null || first?.OodSize is null ? "none" : $"{first.OodSize} notMNIST test images (positives) vs the MNIST test images";
        var main = new MarkdownTable(MainHeaders, MainRows(report.Rows), MainHeaders.Select(h => h != "method").ToArray());
        var curve = new MarkdownTable(CurveHeaders, CurveRows(report.Rows), CurveHeaders.Select(h => h != "method").ToArray());
        return $"""
            # MNIST benchmark (LeNet-5)

            Data: {report.DataDir}; {first?.TrainSize} training images, {first?.TestSize} test images. OOD: {ood}.
            Training: Adam for {s.Epochs} epoch(s) (learning rate {N(s.LearningRate)}, {s.Schedule.Name} schedule, batch {s.BatchSize}), categorical likelihood, Gaussian prior precision {N(s.PriorPrecision)} (weight decay λ/N), seed {s.Seed}.

            Method options:
            {string.Join("\n", report.Methods.Select(m => $"- {m.Key}: {(m.Value.Length > 0 ? m.Value : "no options")}"))}

            Metrics use the Bayesian model average; NLL in nats per image; ECE over 15 equal-width confidence bins; Brier summed over classes; AUROC of predictive entropy and of mutual information (MAP's mutual information is zero everywhere, so its AUROC is 0.5).

            ## Test metrics and OOD detection

            {main}
            ## Rotated test images (counter-clockwise, degrees)

            {curve}
            """;
    }

    private static IEnumerable<string[]> MainRows(IEnumerable<MnistRow> rows) => rows.Select(r => new[]
    {
        r.Method, I(r.TrainSize), I(r.TestSize), F(r.Accuracy), F(r.Nll), F(r.Ece), F(r.Brier), F(r.OodAurocEntropy), F(r.OodAurocMutualInformation),
        Format.Number(r.FitSeconds, 1), Format.Number(r.PredictSeconds, 2),
    });

    private static IEnumerable<string[]> CurveRows(IReadOnlyList<MnistRow> rows)
    {
        var angles = rows.SelectMany(r => r.RotationCurve.Select(p => p.Angle)).Distinct().ToList();
        foreach (var angle in angles)
            foreach (var r in rows)
                foreach (var p in r.RotationCurve.Where(p => p.Angle == angle))
                    yield return [N(angle), r.Method, F(p.Accuracy), F(p.Nll), F(p.Ece)];
    }

    private static Table Table(string title, string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Title(title);
        for (int i = 0; i < headers.Length; i++)
            table.AddColumn(headers[i] == "method" ? new TableColumn(headers[i]) : new TableColumn(headers[i]).RightAligned());
        foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
        return table;
    }

    private static string F(double? value, int digits = 4) => value is { } v ? Format.Number(v, digits) : "–";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
}
