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
/// ess = N/T, VI weights its KL by T (prior tempered too), SGLD scales its noise by √T. With --mnist DIR the same
/// sweep also runs on MNIST with LeNet-5 (a subset: --mnist-train-limit images, --mnist-epochs epochs, the first
/// --mnist-test-limit test images; one fit per T, so no standard error). Writes temperature.json, temperature.md and
/// temperature.png (test NLL per example against T, one line per method, one panel per dataset). --uci-from FILE
/// takes the UCI rows from an earlier temperature.json instead of running them again.
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
        List<Row> rows;
        if (arg("--uci-from") is { } earlier)
        {
            // the UCI rows of an earlier run (its temperature.json), so that only the MNIST sweep runs now
            var saved = JsonReport.Deserialize<SavedSweep>(File.ReadAllText(earlier)) ?? throw new InvalidDataException($"{earlier}: not a temperature.json");
            (dataset, splits, epochs, rows) = (saved.Dataset, saved.Splits, saved.Epochs, saved.Rows.Where(r => methods.Contains(r.Method)).ToList());
        }
        else rows = Uci(dataset, splits, epochs, arg, methods, temperatures);
        var mnistRows = arg("--mnist") is { } mnistDir ? Mnist(mnistDir, arg, methods, temperatures) : [];
        Directory.CreateDirectory(outDir);
        JsonReport.Write(Path.Combine(outDir, "temperature.json"), new { dataset, splits, epochs, temperatures, rows, mnist = mnistRows });
        AtomicFile.WriteAllText(Path.Combine(outDir, "temperature.md"), Markdown(rows) + (mnistRows.Count > 0 ? "\n" + Markdown(mnistRows) : ""));
        List<CurvePanel> panels = [new CurvePanel($"{dataset}, {splits} splits: test NLL per example", [.. methods.Select(m => Series(m, rows.Where(r => r.Method == m).OrderBy(r => r.Temperature).ToList()))])];
        if (mnistRows.Count > 0)
            panels.Add(new CurvePanel("MNIST (LeNet-5, subset): test NLL per image", [.. methods.Select(m => Series(m, mnistRows.Where(r => r.Method == m).OrderBy(r => r.Temperature).ToList()))]));
        LearningCurvePlot.Save(Path.Combine(outDir, "temperature.png"), panels, "log10 T", "tempered posteriors (lower is better)", width: 800 * panels.Count, height: 500);
        Console.WriteLine(Markdown(rows));
        return 0;
    }

    private sealed record SavedSweep(string Dataset, int Splits, int Epochs, List<Row> Rows);

    /// <summary>The sweep on a UCI dataset: every method and temperature over the first <paramref name="splits"/> splits.</summary>
    private static List<Row> Uci(string dataset, int splits, int epochs, Func<string, string?> arg, IReadOnlyList<string> methods, IReadOnlyList<double> temperatures)
    {
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
        return rows;
    }

    /// <summary>The sweep on an MNIST subset with LeNet-5: one fit per method and temperature.</summary>
    private static List<Row> Mnist(string directory, Func<string, string?> arg, IReadOnlyList<string> methods, IReadOnlyList<double> temperatures)
    {
        int trainLimit = int.Parse(arg("--mnist-train-limit") ?? "10000", CultureInfo.InvariantCulture);
        int testLimit = int.Parse(arg("--mnist-test-limit") ?? "2000", CultureInfo.InvariantCulture);
        var options = new MnistProtocolOptions { Epochs = int.Parse(arg("--mnist-epochs") ?? "3", CultureInfo.InvariantCulture), Angles = [0] };
        using var train = IdxReader.LoadMnist(directory, train: true, limit: trainLimit);
        using var test = IdxReader.LoadMnist(directory, train: false, limit: testLimit);
        var rows = new List<Row>();
        foreach (var name in methods)
            foreach (double temperature in temperatures)
            {
                var row = MnistProtocol.Run(train, test, null, new MethodRun(Method(name, temperature)), options)[0];
                rows.Add(new Row("mnist", name, temperature, 1, row.Nll, 0, double.NaN, 0, double.NaN, row.FitSeconds));
                Console.WriteLine(FormattableString.Invariant($"mnist {name} T={temperature:G3}: test NLL {row.Nll:F4}, accuracy {row.Accuracy:F4}"));
            }
        return rows;
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
        text.AppendLine($"# Tempered posteriors on {rows[0].Dataset} ({rows[0].Splits} split{(rows[0].Splits == 1 ? "" : "s")})").AppendLine();
        text.AppendLine("Test NLL per example in original units (mean ± standard error over splits):").AppendLine().AppendLine(md.ToString());
        if (rows.Any(r => double.IsFinite(r.Rmse))) text.AppendLine("Test RMSE / 95% coverage:").AppendLine().AppendLine(rmse.ToString());
        return text.ToString();
    }
}
