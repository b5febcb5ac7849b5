using System.Text.Json;
using Occam.Cli;

namespace Occam.Tests.Cli;

public sealed class BenchMnistTests
{
    private static string MnistDir => Path.Combine(TestPaths.SharedData, "mnist");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Tiny(string outDir, params string[] extra) =>
    [
        "bench", "mnist", "--data-dir", MnistDir, "--train-limit", "2000", "--test-limit", "200", "--epochs", "2", "--batch-size", "32",
        "--angles", "0,90", "--methods", "map,mc-dropout", "--out", outDir, .. extra,
    ];

    [Fact]
    public void BenchMnist_Tiny_WritesJsonWithTheDocumentedFields_AndBothMarkdownTables()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, output, err) = Run(Tiny(outDir));
        Assert.True(code == 0, err);
        Assert.Contains("mc-dropout", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var root = json.RootElement;
        Assert.EndsWith("notmnist", root.GetProperty("ood_dir").GetString()); // found next to the MNIST folder
        Assert.Equal(2, root.GetProperty("settings").GetProperty("epochs").GetInt32());
        var rows = root.GetProperty("rows");
        Assert.Equal(["map", "mc-dropout"], rows.EnumerateArray().Select(r => r.GetProperty("method").GetString()));
        foreach (var row in rows.EnumerateArray())
        {
            foreach (var field in new[] { "method", "train_size", "test_size", "accuracy", "nll", "ece", "brier", "ood_auroc_entropy",
                         "ood_auroc_mutual_information", "fit_seconds", "predict_seconds", "rotation_curve" })
                Assert.True(row.TryGetProperty(field, out _), field);
            Assert.Equal(2000, row.GetProperty("train_size").GetInt32());
            Assert.Equal(200, row.GetProperty("test_size").GetInt32());
            Assert.InRange(row.GetProperty("ood_auroc_entropy").GetDouble(), 0, 1);
            Assert.InRange(row.GetProperty("ood_auroc_mutual_information").GetDouble(), 0, 1);

            var curve = row.GetProperty("rotation_curve").EnumerateArray().ToList();
            Assert.Equal([0.0, 90.0], curve.Select(p => p.GetProperty("angle").GetDouble()));
            foreach (var field in new[] { "accuracy", "nll", "ece" }) Assert.True(curve[0].TryGetProperty(field, out _), field);
            Assert.True(curve[0].GetProperty("accuracy").GetDouble() > 0.7, "accuracy at 0°");
        }

        var md = File.ReadAllText(Path.Combine(outDir, "results.md"));
        Assert.Contains("## Test metrics and OOD detection", md);
        Assert.Contains("## Rotated test images", md);
        var tableLines = md.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal((2 + 2) + (2 + 2 * 2), tableLines.Count); // header and rule, then one row per method, and per angle × method
        Assert.Contains(tableLines, l => l.StartsWith("|    90 | mc-dropout", StringComparison.Ordinal));
    }

    [Fact]
    public void BenchMnist_LaplaceOptions_ReachTheMethod_AndTheReport()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, _, err) = Run("bench", "mnist", "--data-dir", MnistDir, "--train-limit", "300", "--test-limit", "50", "--epochs", "1",
            "--angles", "0", "--methods", "laplace", "--no-ood", "--subset", "all", "--hessian", "kron", "--kfac", "reduce", "--curvature", "mc",
            "--tune", "validation", "--out", outDir);
        Assert.True(code == 0, err);
        var md = File.ReadAllText(Path.Combine(outDir, "results.md"));
        Assert.Contains("- laplace: subset=all, hessian=kron, curvature=monte-carlo-fisher, kfac=reduce, predictive=glm, link=probit", md);
        Assert.Contains("tune=validation", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.InRange(json.RootElement.GetProperty("rows")[0].GetProperty("accuracy").GetDouble(), 0.1, 1); // one epoch on 270 images: it ran and predicts
    }

    [Fact]
    public void BenchMnist_NoOod_WritesNullOodScores()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, _, err) = Run("bench", "mnist", "--data-dir", MnistDir, "--train-limit", "100", "--test-limit", "20", "--epochs", "1",
            "--angles", "0", "--methods", "map", "--no-ood", "--out", outDir);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ood_dir").ValueKind);
        var row = json.RootElement.GetProperty("rows")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("ood_auroc_entropy").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("ood_auroc_mutual_information").ValueKind);
    }

    [Theory]
    [InlineData("--angles", "0,ninety", "--angles")]
    [InlineData("--angles", "0,90,90", "--angles")]
    [InlineData("--train-limit", "0", "--train-limit")]
    [InlineData("--test-limit", "0", "--test-limit")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--dropout", "1.5", "--dropout")]
    [InlineData("--members", "0", "--members")]
    [InlineData("--methods", "map,bogus", "bogus")]
    [InlineData("--kfac", "sideways", "--kfac")]
    [InlineData("--tune", "maybe", "--tune")]
    [InlineData("--ood-dir", "/no/such/notmnist", "/no/such/notmnist")]
    public void BenchMnist_BadOption_OneLineErrorNamingIt_ExitCode2(string option, string value, string named)
    {
        var (code, _, err) = Run("bench", "mnist", "--data-dir", MnistDir, option, value, "--out", TestPaths.NewTempDirectory());
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(named, line);
    }

    [Fact]
    public void BenchMnist_MissingDataDir_OneLineErrorNamingTheFolder()
    {
        var missing = Path.Combine(TestPaths.NewTempDirectory(), "mnist");
        var (code, _, err) = Run("bench", "mnist", "--data-dir", missing);
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(missing, line);
    }

    [Fact]
    public void BenchMnist_Help_ListsTheOptions()
    {
        var (code, output, _) = Run("bench", "mnist", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--data-dir", "--ood-dir", "--methods", "--train-limit", "--test-limit", "--epochs", "--angles", "--out" })
            Assert.Contains(option, output);
    }
}
