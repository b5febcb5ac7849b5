using System.Text.Json;
using Occam.Cli;

namespace Occam.Tests.Cli;

public sealed class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string WriteCsv(string text)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static string RegressionCsv(int rows)
    {
        var lines = new List<string> { "x1,x2,y" };
        var rng = new Random(1);
        for (int i = 0; i < rows; i++)
        {
            double a = rng.NextDouble() * 4 - 2, b = rng.NextDouble() * 4 - 2;
            lines.Add(FormattableString.Invariant($"{a:F4},{b:F4},{Math.Sin(a) + 0.5 * b + 0.1 * (rng.NextDouble() - 0.5):F4}"));
        }
        return WriteCsv(string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void Fit_Csv_SavesModel_AndEvalReloadsIt()
    {
        var csv = RegressionCsv(120);
        var outDir = TestPaths.NewTempDirectory();
        var fit = Run("fit", "--data", csv, "--target", "y", "--method", "ensemble", "--members", "3", "--epochs", "5", "--out", outDir);
        Assert.True(fit.Code == 0, fit.Err);
        Assert.True(File.Exists(Path.Combine(outDir, "model", "posterior.json")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var result = json.RootElement.GetProperty("results")[0];
        Assert.Equal("ensemble", result.GetProperty("method").GetString());
        Assert.True(result.GetProperty("regression").GetProperty("rmse").GetDouble() > 0);
        var run = json.RootElement.GetProperty("run");
        Assert.Equal(64, run.GetProperty("data_fingerprint").GetString()!.Length);
        Assert.Equal(3, run.GetProperty("options").GetProperty("members").GetInt32());
        Assert.True(File.Exists(Path.Combine(outDir, "observed-vs-predicted.png")) && File.Exists(Path.Combine(outDir, "coverage.png")));

        var evalDir = TestPaths.NewTempDirectory();
        var eval = Run("eval", "--model", outDir, "--data", csv, "--target", "y", "--out", evalDir);
        Assert.True(eval.Code == 0, eval.Err);
        Assert.True(File.Exists(Path.Combine(evalDir, "results.md")));
    }

    [Fact]
    public void Fit_RaggedCsv_OneLineErrorNamingFileLineAndColumn()
    {
        var csv = WriteCsv("a,b,y\n1,2,3\n4,5\n");
        var (code, _, err) = Run("fit", "--data", csv, "--target", "y", "--method", "map");
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(csv + ":3:", line);
        Assert.DoesNotContain(" at ", line);
    }

    [Theory]
    [InlineData("--method", "laplace-typo", "unknown method 'laplace-typo'")]
    [InlineData("--lr", "-1", "--lr must be positive")]
    [InlineData("--hidden", "50,x", "--hidden expects positive integers")]
    [InlineData("--device", "tpu", "--device must be cpu or cuda")]
    [InlineData("--likelihood", "student", "--likelihood must be")]
    public void Fit_BadOption_OneLineErrorNamingTheOption(string option, string value, string expected)
    {
        var csv = RegressionCsv(20);
        var args = new List<string> { "fit", "--data", csv, "--target", "y", "--method", "map", "--epochs", "1", "--out", TestPaths.NewTempDirectory() };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        var (code, _, err) = Run(args.ToArray());
        Assert.Equal(CliApp.BadInput, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(expected, err);
    }

    [Fact]
    public void Fit_Laplace_WithStructureOptions_ReportsMetrics()
    {
        var csv = RegressionCsv(120);
        var outDir = TestPaths.NewTempDirectory();
        var (code, output, err) = Run("fit", "--data", csv, "--target", "y", "--method", "laplace", "--subset", "all", "--hessian", "full",
            "--epochs", "20", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("laplace", output);
        Assert.True(File.Exists(Path.Combine(outDir, "results.json")));
        var eval = Run("eval", "--model", outDir, "--data", csv, "--target", "y", "--out", TestPaths.NewTempDirectory());
        Assert.True(eval.Code == 0, eval.Err);
        var bad = Run("fit", "--data", csv, "--target", "y", "--method", "laplace", "--hessian", "blocky");
        Assert.Equal(CliApp.BadInput, bad.Code);
        Assert.Contains("--hessian expects one of full, diagonal, kron, low-rank", bad.Err);
    }

    [Fact]
    public void MissingRequiredOption_IsAParseErrorNotAStackTrace()
    {
        var (code, _, err) = Run("fit", "--method", "map");
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("--data", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Help_ExitsZero()
    {
        var (code, output, _) = Run("bench", "uci", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--data-dir", output);
    }

    [Fact]
    public void BenchUci_Yacht_WritesRowsWithTheDocumentedFields()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, _, err) = Run("bench", "uci", "--data-dir", Path.Combine(TestPaths.SharedData, "uci"), "--datasets", "yacht",
            "--methods", "map,ensemble", "--splits", "2", "--epochs", "5", "--out", outDir);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(2, json.RootElement.GetArrayLength());
        foreach (var field in new[] { "dataset", "method", "splits", "test_ll_mean", "test_ll_se", "rmse_mean", "rmse_se", "seconds" })
            Assert.True(json.RootElement[0].TryGetProperty(field, out _), field);
        Assert.Equal(2, json.RootElement[0].GetProperty("splits").GetInt32());
    }

    [Fact]
    public void Demo_WritesTableJsonMarkdownAndPlots()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, output, err) = Run("demo", "--out", outDir);
        Assert.True(code == 0, err);
        foreach (var file in new[] { "results.json", "results.md", "regression-bands.png", "reliability.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Contains("ensemble", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var rows = json.RootElement.GetProperty("regression").EnumerateArray().ToDictionary(r => r.GetProperty("method").GetString()!);
        // The demo's point: the ensemble is wider in the gap than at the data; MAP is not.
        Assert.True(rows["ensemble"].GetProperty("gap_over_data").GetDouble() > 1.5);
        Assert.Equal(1.0, rows["map"].GetProperty("gap_over_data").GetDouble(), 2);
    }

    [Fact]
    public void EveryCommand_HasUniqueOptionNames_SoMethodFlagsNeverShadowModelFlags()
    {
        var registry = Occam.Core.MethodRegistry.Default;
        var env = new CliEnvironment(Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings()), TextWriter.Null, new CommonOptions(), registry, new MethodFlags(registry));
        var pending = new Stack<System.CommandLine.Command>([CliApp.Build(env)]);
        while (pending.TryPop(out var command))
        {
            var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
            var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, $"{command.Name}: {string.Join(", ", repeated)}");
            foreach (var sub in command.Subcommands) pending.Push(sub);
        }
    }
}
