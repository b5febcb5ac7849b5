using System.Text.Json;
using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli;

/// <summary><c>occam select</c> end to end: the files it writes, and bad input refused by name.</summary>
public sealed class SelectCliTests
{
    [Fact]
    public void Select_WritesEveryCandidateWithAnEvidenceThatSumsItsParts()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "select");
        var (code, _, err) = Run(["select", "--data", RegressionCsv(), "--target", "y", "--method", "laplace-all-kron", "--candidates", "linear; 8 ;8,8",
            "--epochs", "3", "--out", outDir]);
        Assert.True(code == 0, err);
        Assert.True(new FileInfo(Path.Combine(outDir, "selection.png")).Length > 1000);
        Assert.Contains("The evidence picks", File.ReadAllText(Path.Combine(outDir, "results.md")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal(["linear", "8", "8,8"], results.EnumerateArray().Select(r => r.GetProperty("candidate").GetString()));
        foreach (var r in results.EnumerateArray())
        {
            var e = r.GetProperty("evidence");
            Assert.Equal(e.GetProperty("log_evidence").GetDouble(), e.GetProperty("data_fit").GetDouble() + e.GetProperty("occam_factor").GetDouble(), 9);
        }
        string picked = json.RootElement.GetProperty("summary").GetProperty("by_evidence").GetString()!;
        double best = results.EnumerateArray().Max(r => r.GetProperty("evidence").GetProperty("log_evidence").GetDouble());
        Assert.Equal(best, results.EnumerateArray().First(r => r.GetProperty("candidate").GetString() == picked).GetProperty("evidence").GetProperty("log_evidence").GetDouble());
    }

    [Theory]
    [InlineData("--candidates", "", "--candidates: the list is empty")]
    [InlineData("--candidates", " ; ", "--candidates: the list is empty")]
    [InlineData("--candidates", "10;abc", "--candidates: 'abc' is neither 'linear' nor positive hidden widths")]
    [InlineData("--candidates", "10;0", "--candidates: '0' is neither")]
    [InlineData("--candidates", "10;10", "--candidates lists 10 more than once")]
    [InlineData("--prior-precision", "0", "--prior-precision must be positive")]
    [InlineData("--prior-precision", "-1", "--prior-precision must be non-negative")]
    [InlineData("--method", "map", "--method: map has no Gaussian posterior")]
    [InlineData("--holdout-fraction", "1", "--holdout-fraction must lie in (0, 1)")]
    [InlineData("--splits", "2", "--splits applies to UCI benchmark folders")]
    public void Select_BadOption_IsRefusedByName(string flag, string value, string expected)
    {
        var (previous, snapshot) = PreviousOutput();
        string[] args = ["select", "--data", RegressionCsv(), "--target", "y", "--method", "laplace", "--candidates", "10;20", "--epochs", "1", "--out", previous];
        int at = Array.IndexOf(args, flag);
        if (at >= 0) args[at + 1] = value;
        else args = [.. args, flag, value];
        AssertRefused(Run(args), CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }
}
