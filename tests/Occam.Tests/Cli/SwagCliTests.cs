using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli;

/// <summary>The SWAG family through the CLI: a fit with save and predict, and bad options refused before any work (exit 2, one line, earlier output unchanged).</summary>
public sealed class SwagCliTests
{
    public static TheoryData<string[], string> BadCases => new()
    {
        { ["--method", "swag", "--max-rank", "0"], "--max-rank" },
        { ["--method", "swag", "--scale", "0"], "--scale" },
        { ["--method", "swag-diag", "--scale", "-1"], "--scale" },
        { ["--method", "multiswag", "--swag-start-epoch", "4"], "collection start epoch (4) must come before the last of the 4 training epochs" },
        { ["--method", "swag", "--max-rank", "9"], "exceeds the" },
        { ["--method", "subspace", "--subspace-rank", "0"], "--subspace-rank" },
        { ["--method", "subspace", "--subspace-sampler", "gibbs"], "--subspace-sampler expects one of" },
    };

    [Theory, MemberData(nameof(BadCases))]
    public void Fit_BadSwagOption_IsRefusedBeforeAnyWork(string[] options, string expected)
    {
        var csv = RegressionCsv();
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["fit", "--data", csv, "--target", "y", "--epochs", "4", "--out", previous, .. options]);
        AssertRefused(result, CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }

    [Theory]
    [InlineData("swag")]
    [InlineData("multiswag")]
    [InlineData("subspace")]
    public void Fit_SavesAModelThatPredicts(string method)
    {
        var csv = RegressionCsv();
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        var fit = Run(["fit", "--data", csv, "--target", "y", "--epochs", "6", "--method", method, "--samples", "6", "--out", dir]);
        Assert.True(fit.Code == 0, fit.Err);
        var predictions = Path.Combine(TestPaths.NewTempDirectory(), "predictions.csv");
        var predict = Run(["predict", "--model", Path.Combine(dir, "model"), "--data", csv, "--out", predictions]);
        Assert.True(predict.Code == 0, predict.Err);
        Assert.True(File.ReadAllLines(predictions).Length > 1);
    }
}
