using System.Text.Json;
using System.Text.Json.Nodes;
using Occam.Cli;
using Occam.Cli.Commands;
using Occam.Tests.Cli.Faults;

namespace Occam.Tests.Cli;

/// <summary><c>bench uci --protocol tuned</c>: each method's grid, the settings chosen per split, planned runs, bad options.</summary>
public sealed class BenchUciTunedCliTests
{
    private static readonly string[] Bench = ["bench", "uci", "--data-dir", Path.Combine(TestPaths.SharedData, "uci"), "--datasets", "yacht", "--splits", "2", "--epochs", "3"];

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Tuned_GridsEachMethodOverTheAxesItTakes_AndReportsTheChoicePerSplit()
    {
        var outDir = TestPaths.NewTempDirectory();
        var run = Run([.. Bench, "--methods", "map,mc-dropout", "--samples", "10", "--protocol", "tuned", "--grid", "epochs=1,4;dropout-rate=0.01,0.1", "--out", outDir]);
        Assert.True(run.Code == 0, run.Err);
        // map takes epochs only (2 settings), mc-dropout epochs × dropout-rate (4 settings)
        Assert.Equal(2 * 2, CountValidationLines(run.Out, "yacht map "));
        Assert.Equal(2 * 4, CountValidationLines(run.Out, "yacht mc-dropout "));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        foreach (var row in json.RootElement.EnumerateArray())
        {
            var counts = row.GetProperty("tuning").EnumerateArray().ToList();
            Assert.Equal(2, counts.Sum(c => c.GetProperty("splits").GetInt32()));
            var settings = counts.Select(c => c.GetProperty("setting").GetString()!).ToList();
            if (row.GetProperty("method").GetString() == "map") Assert.All(settings, s => Assert.Matches("^epochs=[14]$", s));
            else Assert.All(settings, s => Assert.Matches("^epochs=[14], dropout-rate=0\\.(01|1)$", s));
        }
        Assert.Contains("## Tuned protocol: the settings chosen", File.ReadAllText(Path.Combine(outDir, "results.md")));
    }

    [Fact]
    public void Tuned_LeavesTheGaussianProcessesTrainingSettingsAlone()
    {
        // a GP fits its own hyperparameters: prior precision and epochs would only repeat the same fit
        var outDir = TestPaths.NewTempDirectory();
        var run = Run([.. Bench, "--methods", "map,gp", "--protocol", "tuned", "--grid", "prior-precision=0.1,10;epochs=1,4", "--out", outDir]);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal(2 * 4, CountValidationLines(run.Out, "yacht map "));
        Assert.Equal(0, CountValidationLines(run.Out, "yacht gp "));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var gp = json.RootElement.EnumerateArray().Single(r => r.GetProperty("method").GetString() == "gp");
        Assert.Equal("as given", gp.GetProperty("tuning").EnumerateArray().Single().GetProperty("setting").GetString());
    }

    [Fact]
    public void Tuned_PlannedAndCombined_EqualsTheSingleProcessRun()
    {
        string[] bench = [.. Bench, "--methods", "map", "--protocol", "tuned", "--grid", "prior-precision=0.1,10"];
        var single = TestPaths.NewTempDirectory();
        Assert.Equal(0, Run([.. bench, "--out", single]).Code);
        var store = Path.Combine(TestPaths.NewTempDirectory(), "store");
        var planned = Run(["plan", .. bench, "--store", store]);
        Assert.True(planned.Code == 0, planned.Err);
        var launched = Run("launch", "--store", store);
        Assert.True(launched.Code == 0, launched.Err);
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(single, "results.json")))!.AsArray();
        var actual = JsonNode.Parse(File.ReadAllText(Path.Combine(store, CombineCommand.ResultFolder, "results.json")))!.AsArray();
        foreach (var row in expected.Concat(actual)) row!.AsObject().Remove("seconds");
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
        Assert.NotNull(actual[0]!["tuning"]);
    }

    [Theory]
    [InlineData(new[] { "--grid", "epochs=1,2" }, "--grid applies to --protocol tuned only")]
    [InlineData(new[] { "--tuning-fraction", "0.3" }, "--tuning-fraction applies to --protocol tuned only")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "width=1,2" }, "--grid: unknown hyperparameter 'width'")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "epochs=0,2" }, "--grid: epochs values must be positive integers")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "lr" }, "--grid: expected NAME=V1,V2")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "epochs=2,2" }, "--grid: epochs lists a value more than once")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "dropout-rate=0.1,2" }, "--grid:", "dropout")]
    [InlineData(new[] { "--protocol", "tuned", "--grid", "dropout-rate=0.1", "--dropout-rate", "0.2" }, "--grid tunes dropout-rate; do not also give --dropout-rate")]
    [InlineData(new[] { "--protocol", "tuned", "--tuning-fraction", "0.9" }, "--tuning-fraction must lie in (0, 0.5]")]
    public void BadTuningOptions_AreRefusedByNameBeforeAnyFit(string[] options, params string[] expected)
    {
        var (dir, snapshot) = CliHarness.PreviousOutput();
        var refused = Run([.. Bench, "--methods", "map,mc-dropout", .. options, "--out", dir]);
        CliHarness.AssertRefused(refused, CliApp.BadInput, expected);
        CliHarness.AssertUnchanged(dir, snapshot);
    }

    private static int CountValidationLines(string output, string prefix) =>
        output.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains("validation LL", StringComparison.Ordinal));
}
