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

    [Theory]
    [InlineData("map")]
    [InlineData("sgld")]
    public void Fit_WithSpikeSlabPrior_PrintsAndWritesInclusionProbabilities(string method)
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "fit");
        List<string> args = ["fit", "--data", RegressionCsv(), "--target", "y", "--method", method, "--epochs", "4", "--out", outDir,
            "--prior", "spike-slab", "--slab-scale", "1.5", "--spike-scale", "0.05", "--inclusion", "0.3", "--prior-override", "output-bias=0:0.5"];
        if (method == "sgld") args.AddRange(["--sampler-epochs", "4", "--chains", "2"]);
        var (code, output, err) = Run([.. args]);
        Assert.True(code == 0, err);
        Assert.Contains("posterior inclusion probabilities", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "inclusion.json")));
        Assert.Contains("spike-slab(slab=1.5, spike=0.05, inclusion=0.3", json.RootElement.GetProperty("prior").GetString());
        var features = json.RootElement.GetProperty("features");
        Assert.True(features.GetArrayLength() > 0);
        foreach (var f in features.EnumerateArray())
        {
            Assert.Equal(0.3, f.GetProperty("prior").GetDouble(), 12);
            Assert.InRange(f.GetProperty("posterior").GetDouble(), 0.0, 1.0);
        }
        Assert.Contains("| posterior inclusion |", File.ReadAllText(Path.Combine(outDir, "inclusion.md")));
    }

    [Theory]
    [InlineData("--inclusion", "1.5", "--inclusion expects probabilities strictly between 0 and 1")]
    [InlineData("--inclusion", "0.2,0.3,0.4,0.5,0.6,0.7,0.8", "--inclusion expects one probability or one per input feature")]
    [InlineData("--spike-scale", "2", "--slab-scale must be larger than the spike scale")]
    [InlineData("--prior-override", "b9=0:1", "--prior-override expects BLOCK=MEAN:VARIANCE")]
    [InlineData("--prior-override", "w1=0:1", "--prior-override may not set the first layer's weights")]
    public void Fit_WithBadSpikeSlabOption_IsRefusedByName(string flag, string value, string expected)
    {
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["fit", "--data", RegressionCsv(), "--target", "y", "--method", "map", "--epochs", "1", "--prior", "spike-slab", flag, value, "--out", previous]);
        AssertRefused(result, CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void Fit_WithSlabScaleButGaussianPrior_IsRefused()
    {
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["fit", "--data", RegressionCsv(), "--target", "y", "--method", "map", "--epochs", "1", "--slab-scale", "2", "--out", previous]);
        AssertRefused(result, CliApp.BadInput, "--slab-scale, --spike-scale and --inclusion set --prior spike-slab");
        AssertUnchanged(previous, snapshot);
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
