using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Inference.Sampling;
using Occam.Inference.Variational;
using Occam.Reporting;

namespace Occam.Bench;

/// <summary>
/// The cold-posterior sweep: each method's posterior tempered by T (p_T ∝ exp(log p(θ|D)/T), see
/// <c>LogPosterior</c>) on the UCI protocol, for T over a grid: Laplace scales its covariance by T, IVON runs with
/// ess = N/T, VI weights its KL by T (prior tempered too), SGLD scales its noise by √T. Writes temperature.json,
/// temperature.md and temperature.png (test NLL per example against T, one line per method, ±1 standard error).
/// </summary>
internal static class TemperatureBenchmark
{
    public sealed record Row(string Dataset, string Method, double Temperature, int Splits, double TestNll, double TestNllSe, double Rmse, double RmseSe, double Coverage95, double Seconds);

    private static readonly double[] DefaultTemperatures = [0.01, 0.03, 0.1, 0.3, 1, 3];
    private static readonly string[] MethodNames = ["laplace", "ivon", "vi", "sgld"];

    public static int RunAndReport(Func<string, string?> arg)
    {
        string outDir = arg("--out") ?? Path.Combine("bench-results", "temperature");
        string dataset = arg("--dataset") ?? "yacht";
        int splits = int.Parse(arg("--splits") ?? "3", CultureInfo.InvariantCulture);
        int epochs = int.Parse(arg("--epochs") ?? "40", CultureInfo.InvariantCulture);
        var temperatures = arg("--temperatures") is { } t ? t.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray() : DefaultTemperatures;
        var methods = (arg("--methods") ?? string.Join(',', MethodNames)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (methods.FirstOrDefault(m => !MethodNames.Contains(m)) is { } unknown)
        {
            Console.Error.WriteLine($"error: --methods: unknown method '{unknown}'; expected a comma-separated subset of {string.Join(", ", MethodNames)}");
            return 2;
        }
        if (temperatures.Any(v => !(v > 0) || !double.IsFinite(v)))
        {
            Console.Error.WriteLine("error: --temperatures expects positive numbers, comma separated");
            return 2;
        }
        using var benchmark = UciBenchmark.Load(Path.Combine(arg("--data-dir") ?? Path.Combine("..", "shared", "data", "uci"), dataset));
        var options = new UciProtocolOptions(Splits: splits, Epochs: epochs);
        var progress = new Progress<string>(Console.WriteLine);
        var rows = new List<Row>();
        foreach (var name in methods)
            foreach (double temperature in temperatures)
            {
                var row = UciProtocol.Run(benchmark, new MethodRun(Method(name, temperature)), options, progress)[0];
                rows.Add(new Row(dataset, name, temperature, row.Splits, -row.TestLlMean, row.TestLlSe, row.RmseMean, row.RmseSe, row.Coverage95Mean, row.Seconds));
                Console.WriteLine(FormattableString.Invariant($"{dataset} {name} T={temperature:G3}: test NLL {-row.TestLlMean:F3} ± {row.TestLlSe:F3}, RMSE {row.RmseMean:F3}"));
            }
        Directory.CreateDirectory(outDir);
        JsonReport.Write(Path.Combine(outDir, "temperature.json"), new { dataset, splits, epochs, temperatures, rows });
        AtomicFile.WriteAllText(Path.Combine(outDir, "temperature.md"), Markdown(rows));
        LearningCurvePlot.Save(Path.Combine(outDir, "temperature.png"),
            [new CurvePanel("test NLL per example (lower is better)", [.. methods.Select(m => Series(m, rows.Where(r => r.Method == m).OrderBy(r => r.Temperature).ToList()))])],
            "log10 T", $"{dataset}, {splits} splits: tempered posteriors", width: 800, height: 500);
        Console.WriteLine(Markdown(rows));
        return 0;
    }

    /// <summary>The method at temperature T, with every other option at its default.</summary>
    private static IPosteriorMethod Method(string name, double temperature)
    {
        var setup = new ModelSetup();
        return name switch
        {
            "laplace" => new LaplaceMethod(setup, new LaplaceOptions { Temperature = temperature }),
            "ivon" => new IvonMethod(setup, new IvonOptions { Temperature = temperature }),
            "vi" => new BayesByBackpropMethod(setup, new VariationalOptions { Temperature = temperature }),
            "sgld" => new SgldMethod(setup, new SgldOptions { Temperature = temperature }),
            _ => throw new ArgumentException($"Unknown method '{name}'.", nameof(name)),
        };
    }

    private static CurveSeries Series(string method, IReadOnlyList<Row> rows) => new(method,
        [.. rows.Select(r => Math.Log10(r.Temperature))], [.. rows.Select(r => r.TestNll)],
        [.. rows.Select(r => r.TestNll - r.TestNllSe)], [.. rows.Select(r => r.TestNll + r.TestNllSe)]);

    public static string Markdown(IReadOnlyList<Row> rows)
    {
        var temperatures = rows.Select(r => r.Temperature).Distinct().OrderBy(t => t).ToList();
        var md = new MarkdownTable(["method", .. temperatures.Select(t => "T = " + t.ToString("G3", CultureInfo.InvariantCulture))]);
        foreach (var method in rows.Select(r => r.Method).Distinct())
            md.AddRow([method, .. temperatures.Select(t => rows.FirstOrDefault(r => r.Method == method && r.Temperature == t) is { } r
                ? FormattableString.Invariant($"{r.TestNll:F3} ± {r.TestNllSe:F3}") : "")]);
        var rmse = new MarkdownTable(["method", .. temperatures.Select(t => "T = " + t.ToString("G3", CultureInfo.InvariantCulture))]);
        foreach (var method in rows.Select(r => r.Method).Distinct())
            rmse.AddRow([method, .. temperatures.Select(t => rows.FirstOrDefault(r => r.Method == method && r.Temperature == t) is { } r
                ? FormattableString.Invariant($"{r.Rmse:F3} / {r.Coverage95:F2}") : "")]);
        var text = new StringBuilder();
        text.AppendLine($"# Tempered posteriors on {rows[0].Dataset} ({rows[0].Splits} splits)").AppendLine();
        text.AppendLine("Test NLL per example in original units (mean ± standard error over splits):").AppendLine().AppendLine(md.ToString());
        text.AppendLine("Test RMSE / 95% coverage:").AppendLine().AppendLine(rmse.ToString());
        return text.ToString();
    }
}
