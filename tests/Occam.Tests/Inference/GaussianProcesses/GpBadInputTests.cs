using Occam.Cli;
using Occam.Core;
using Occam.Data;
using Occam.GaussianProcesses;
using Occam.Inference;
using Occam.Inference.GaussianProcesses;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.GaussianProcesses;

/// <summary>Bad input to the GP methods: one clear error, before any work where it can be known in advance.</summary>
public sealed class GpBadInputTests
{
    [Fact]
    public void ExactGp_TooLargeForMemory_RefusesBeforeWork_SuggestingTheSparseMethod()
    {
        // 60,000 points: the exact GP's N×N float64 matrices need about 160 GiB, refused before any kernel work.
        using var x = zeros(60_000, 1);
        using var y = zeros(60_000, 1);
        using var data = new Dataset(x, y, TaskKind.Regression);
        var started = DateTime.UtcNow;
        var e = Assert.Throws<GpTooLargeException>(() => new GaussianProcessMethod(new ModelSetup()).Fit(data));
        Assert.Contains("sgpr", e.Message);
        Assert.Contains("60,000", e.Message);
        Assert.True(e.RequiredBytes > e.AvailableBytes);
    }

    [Theory]
    [InlineData("gp", "noise-variance", "0")]
    [InlineData("gp", "noise-variance", "-1")]
    [InlineData("sgpr", "noise-variance", "-0.5")]
    [InlineData("gp-nngp", "weight-variance", "0")]
    [InlineData("gp-nngp", "bias-variance", "-1")]
    [InlineData("dkl", "dirichlet-alpha", "0")]
    [InlineData("dkl", "noise-variance", "NaN")]
    public void NonPositiveHyperparameters_AreRefusedNamingTheOption(string method, string option, string value)
    {
        var entry = MethodRegistry.Default.Find(method)!;
        var e = Assert.ThrowsAny<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { [option] = value }));
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void Cli_NonPositiveNoise_OneLineErrorNamingTheFlag()
    {
        var dir = TestPaths.NewTempDirectory();
        var csv = Path.Combine(dir, "data.csv");
        File.WriteAllText(csv, "x,y\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{i * 0.1},{Math.Sin(i * 0.1)}"))) + "\n");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(["fit", "--data", csv, "--target", "y", "--method", "gp", "--noise-variance", "-1", "--out", dir], output, error);
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith("error: --noise-variance", line);
    }

    [Fact]
    public void Cli_FitGp_PrintsAndSavesTheEvidence()
    {
        var dir = TestPaths.NewTempDirectory();
        var csv = Path.Combine(dir, "data.csv");
        File.WriteAllText(csv, "x,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => FormattableString.Invariant($"{i * 0.1},{Math.Sin(i * 0.3)}"))) + "\n");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(["fit", "--data", csv, "--target", "y", "--method", "gp", "--iterations", "10", "--out", Path.Combine(dir, "out")], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("log evidence", output.ToString());
        Assert.Contains("data fit", output.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "out", "evidence.json")));
        Assert.True(File.Exists(Path.Combine(dir, "out", "model", "posterior.json")));
    }

    [Fact]
    public void GpRegression_RefusesSeveralTargets()
    {
        using var x = randn(10, 2);
        using var y = randn(10, 2);
        using var data = new Dataset(x, y, TaskKind.Regression);
        var e = Assert.Throws<ArgumentException>(() => new GaussianProcessMethod(new ModelSetup()).Fit(data));
        Assert.Contains("one target", e.Message);
    }
}
