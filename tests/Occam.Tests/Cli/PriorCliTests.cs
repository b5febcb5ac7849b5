using System.Text.Json;
using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli;

/// <summary>The prior flags of <c>fit</c> and the <c>prior-check</c> command end to end.</summary>
public sealed class PriorCliTests
{
    [Fact]
    public void Fit_WithLaplacePrior_WritesAModelThatNamesThePrior()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "fit");
        var (code, _, err) = Run(["fit", "--data", RegressionCsv(), "--target", "y", "--method", "map", "--epochs", "3", "--prior", "laplace", "--prior-scale", "0.5", "--out", outDir]);
        Assert.True(code == 0, err);
        Assert.Contains(Directory.EnumerateFiles(outDir, "*.json", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("laplace(scale=0.5)"));
    }

    [Fact]
    public void PriorCheck_WritesPngJsonAndMarkdown()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "prior");
        var (code, _, err) = Run(["prior-check", "--hidden", "30,30", "--activation", "tanh", "--prior-sd", "1", "--samples", "40", "--range", "-3,3", "--points", "25", "--out", outDir]);
        Assert.True(code == 0, err);
        Assert.True(new FileInfo(Path.Combine(outDir, "prior-predictive.png")).Length > 1000);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(25, json.RootElement.GetProperty("mean").GetArrayLength());
        Assert.Equal(7, json.RootElement.GetProperty("correlation").GetArrayLength());
        Assert.Contains("Prior correlation", File.ReadAllText(Path.Combine(outDir, "results.md")));
    }

    [Theory]
    [InlineData("--range", "3,-3", "--range expects FROM,TO")]
    [InlineData("--samples", "1", "--samples must be at least 2")]
    [InlineData("--prior-sd", "0", "--prior-sd must be positive")]
    [InlineData("--hidden", "0", "--hidden expects positive integers")]
    public void PriorCheck_BadOption_IsRefusedByName(string flag, string value, string expected)
    {
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["prior-check", flag, value, "--out", previous]);
        AssertRefused(result, CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }
}
