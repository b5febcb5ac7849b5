using System.CommandLine;
using System.Globalization;
using Occam.Models;
using Occam.Priors;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam prior-check</c>: functions drawn from a network's weight prior on a 1-D grid (no data): the draws,
/// their pointwise mean and 95% band, and the prior correlation of function values between inputs, written as
/// prior-predictive.png, results.json and results.md into a folder replaced only when the run succeeds.
/// </summary>
public static class PriorCheckCommand
{
    private const int Anchors = 7;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var hidden = new Option<string>("--hidden") { Description = "Hidden widths, comma separated (e.g. 50 or 50,50)", DefaultValueFactory = _ => "50,50" };
        var activation = new Option<Activation>("--activation") { Description = "Hidden non-linearity (relu, tanh, gelu, softplus)", DefaultValueFactory = _ => Activation.ReLU };
        var priorSd = new Option<double>("--prior-sd") { Description = "σ_w: weights are N(0, σ_w²/fan_in)", DefaultValueFactory = _ => 1.0 };
        var biasSd = new Option<double>("--bias-sd") { Description = "σ_b: biases are N(0, σ_b²)", DefaultValueFactory = _ => 1.0 };
        var samples = new Option<int>("--samples") { Description = "Functions drawn from the prior", DefaultValueFactory = _ => 100 };
        var range = new Option<string>("--range") { Description = "Input range FROM,TO of the grid", DefaultValueFactory = _ => "-3,3" };
        var points = new Option<int>("--points") { Description = "Grid points across --range", DefaultValueFactory = _ => 200 };
        var output = new Option<string>("--out") { Description = "Output folder for prior-predictive.png, results.json and results.md (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-prior-check" };
        var format = ResultsOutput.FormatOption();
        var command = new Command("prior-check", "Prior predictive check: functions drawn from a network's weight prior over a 1-D input range, their 95% band and correlations")
        {
            hidden, activation, priorSd, biasSd, samples, range, points, output, format,
        };
        command.SetAction(parsed =>
        {
            var network = new PriorNetwork(ParseWidths(parsed.GetValue(hidden)!), parsed.GetValue(activation),
                Check(parsed.GetValue(priorSd), "--prior-sd", v => v > 0, "positive"), Check(parsed.GetValue(biasSd), "--bias-sd", v => v >= 0, "non-negative"));
            int count = parsed.GetValue(samples);
            if (count < 2) throw new ArgumentException($"--samples must be at least 2; got {count}");
            int gridPoints = parsed.GetValue(points);
            if (gridPoints < 2) throw new ArgumentException($"--points must be at least 2; got {gridPoints}");
            var (from, to) = ParseRange(parsed.GetValue(range)!);
            using var outDir = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var grid = PriorPredictive.Grid(from, to, gridPoints);
            var draws = PriorPredictive.Sample(network, grid, count, parsed.GetValue(env.Common.Seed));
            env.Cancellation.ThrowIfCancellationRequested();
            Write(env, outDir.Path, network, draws, parsed.GetValue(format));
            outDir.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir.Target)}[/]: prior-predictive.png, results.json and results.md");
            return 0;
        });
        return command;
    }

    private static void Write(CliEnvironment env, string directory, PriorNetwork network, PriorPredictiveDraws draws, OutputFormat format)
    {
        string arch = $"{string.Join("-", network.Hidden)} {network.Activation.ToString().ToLowerInvariant()}, σ_w {G(network.WeightSd)}, σ_b {G(network.BiasSd)}";
        var anchors = Enumerable.Range(0, Anchors).Select(i => (int)Math.Round((draws.X.Length - 1) * i / (Anchors - 1.0))).Distinct().ToArray();
        var sd = draws.StandardDeviation;
        var bands = new MarkdownTable(["x", "mean", "sd", "2.5%", "97.5%"]);
        foreach (int i in anchors) bands.AddRow([G(draws.X[i]), G(draws.Mean[i]), G(sd[i]), G(draws.Lower[i]), G(draws.Upper[i])]);
        var correlations = new MarkdownTable(["corr", .. anchors.Select(i => G(draws.X[i]))]);
        foreach (int i in anchors) correlations.AddRow([G(draws.X[i]), .. anchors.Select(j => draws.Correlation(i, j).ToString("F2", CultureInfo.InvariantCulture))]);
        var report = new
        {
            network = new { hidden = network.Hidden, activation = network.Activation.ToString().ToLowerInvariant(), weight_sd = network.WeightSd, bias_sd = network.BiasSd },
            samples = draws.Samples,
            x = draws.X, mean = draws.Mean, sd, lower = draws.Lower, upper = draws.Upper,
            anchors = anchors.Select(i => draws.X[i]).ToArray(),
            correlation = anchors.Select(i => anchors.Select(j => draws.Correlation(i, j)).ToArray()).ToArray(),
        };
        var json = JsonReport.Serialize(report);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"),
            $"# Prior predictive check\n\n{draws.Samples} functions from the prior of a {arch} network (weights N(0, σ_w²/fan_in), biases N(0, σ_b²)).\n\n"
            + $"## Pointwise band\n\n{bands}\n\n## Prior correlation of f(x) and f(x′)\n\n{correlations}\n");
        PriorPredictivePlot.Save(Path.Combine(directory, "prior-predictive.png"), draws, $"Prior predictive: {arch}");
        switch (format)
        {
            case OutputFormat.Json: env.Console.Profile.Out.Writer.WriteLine(json); return;
            case OutputFormat.Markdown: env.Console.Profile.Out.Writer.WriteLine(bands.ToString()); return;
            default:
                var table = new Table().Title(Markup.Escape($"prior predictive ({arch}, {draws.Samples} draws)"));
                foreach (var h in new[] { "x", "mean", "sd", "2.5%", "97.5%" }) table.AddColumn(new TableColumn(h).RightAligned());
                foreach (int i in anchors) table.AddRow(G(draws.X[i]), G(draws.Mean[i]), G(sd[i]), G(draws.Lower[i]), G(draws.Upper[i]));
                env.Console.Write(table);
                return;
        }
    }

    private static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"--hidden expects positive integers separated by commas (e.g. 50 or 50,50); got '{text}'");
        return widths;
    }

    private static (double From, double To) ParseRange(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var from) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var to)
            && double.IsFinite(from) && double.IsFinite(to) && to > from)
            return (from, to);
        throw new ArgumentException($"--range expects FROM,TO with FROM < TO (e.g. -3,3); got '{text}'");
    }

    private static double Check(double value, string option, Func<double, bool> ok, string expected) =>
        ok(value) && double.IsFinite(value) ? value : throw new ArgumentException($"{option} must be {expected}; got {value.ToString(CultureInfo.InvariantCulture)}");

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
}
