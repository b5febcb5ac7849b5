using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli;

/// <summary>
/// <c>occam active</c>: a tiny run end to end (learning curves as PNG, Markdown and JSON, one curve per acquisition),
/// a rerun that resumes from the saved state without training again, Ctrl-C keeping the previous output, and bad
/// options refused in one line naming the flag (exit 2) before any training.
/// </summary>
public sealed partial class ActiveCliTests
{
    private static readonly string[] Quick = ["--initial", "6", "--batch", "4", "--rounds", "2", "--epochs", "8", "--samples", "8", "--test-fraction", "0.25"];

    public static TheoryData<string, string[], string> BadCases => new()
    {
        { "moons", ["--initial", "0"], "--initial" },
        { "moons", ["--batch", "0"], "--batch" },
        { "moons", ["--budget", "3"], "--budget" },
        { "moons", ["--budget", "100000"], "--budget" },
        { "moons", ["--rounds", "0"], "--rounds" },
        { "moons", ["--seeds", "0"], "--seeds" },
        { "moons", ["--pool-subset", "2"], "--pool-subset" },
        { "moons", ["--acquisition", "bald,oracle"], "--acquisition" },
        { "moons", ["--acquisition", "epistemic-variance"], "--acquisition" },
        { "moons", ["--method", "map", "--acquisition", "bald"], "--method" },
        { "moons", ["--method", "mc-dropout@mean"], "--method" },
        { "moons", ["--test-fraction", "0"], "--test-fraction" },
        { "regression", ["--acquisition", "variation-ratios"], "--acquisition" },
        { "regression", ["--class-balanced"], "--class-balanced" },
    };

    [Theory, MemberData(nameof(BadCases))]
    public void BadOption_IsRefusedInOneLineNamingTheFlag_BeforeAnyTraining(string data, string[] options, string flag)
    {
        var csv = data == "moons" ? Moons() : RegressionCsv();
        var target = data == "moons" ? "label" : "y";
        var (previous, snapshot) = PreviousOutput();
        string[] budget = options.Contains("--budget") ? [] : ["--budget", "30"];
        var result = Run(["active", "--data", csv, "--target", target, "--out", previous, .. budget, .. options]);
        AssertRefused(result, CliApp.BadInput, flag);
        Assert.DoesNotMatch(RoundLine(), result.Out);
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void TinyRun_WritesCurvesPerAcquisition_AndARerunResumesWithoutTraining()
    {
        var csv = Moons();
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        string[] args = ["active", "--data", csv, "--target", "label", "--acquisition", "bald,entropy,random", "--seeds", "2", "--out", dir, .. Quick];
        var first = Run(args);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(3 * 2 * 3, RoundLine().Matches(first.Out).Count); // acquisitions × seeds × rounds (initial fit + 2 acquisitions)
        foreach (var file in new[] { "results.json", "results.md", "learning-curves-mc-dropout.png" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        var json = File.ReadAllText(Path.Combine(dir, "results.json"));
        using (var doc = JsonDocument.Parse(json))
        {
            var summaries = doc.RootElement.GetProperty("summaries").EnumerateArray().ToList();
            Assert.Equal(["bald", "entropy", "random"], summaries.Select(s => s.GetProperty("acquisition").GetString()));
            foreach (var s in summaries)
            {
                Assert.Equal([6, 10, 14], s.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()));
                Assert.Equal(3, s.GetProperty("metrics").GetProperty("accuracy").GetProperty("mean").GetArrayLength());
                Assert.Equal(2, s.GetProperty("seeds").GetArrayLength());
            }
        }

        var again = Run(args);
        Assert.True(again.Code == 0, again.Err);
        Assert.DoesNotMatch(RoundLine(), again.Out);
        Assert.Equal(Summaries(json), Summaries(File.ReadAllText(Path.Combine(dir, "results.json"))));
    }

    [Fact]
    public void Regression_WritesRmseCurves()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        var result = Run(["active", "--data", RegressionCsv(), "--target", "y", "--seeds", "1", "--out", dir, .. Quick]);
        Assert.True(result.Code == 0, result.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var summaries = doc.RootElement.GetProperty("summaries").EnumerateArray().ToList();
        Assert.Equal(["epistemic-variance", "random"], summaries.Select(s => s.GetProperty("acquisition").GetString()));
        Assert.True(summaries[0].GetProperty("metrics").TryGetProperty("rmse", out _));
    }

    [Fact]
    public void CtrlC_Exits130_KeepsThePreviousOutput_AndTheRerunResumesAfterTheSavedRound()
    {
        var csv = Moons();
        var (previous, snapshot) = PreviousOutput();
        string[] args = ["active", "--data", csv, "--target", "label", "--acquisition", "bald", "--seeds", "1", "--out", previous, .. Quick];
        using var interrupt = new CancellationTokenSource();
        var result = Run(args, interrupt.Token, text => { if (RoundLine().IsMatch(text)) interrupt.Cancel(); });
        AssertRefused(result, CliApp.Interrupted, "interrupted");
        AssertUnchanged(previous, snapshot);
        var resumed = Run(args);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Equal(2, RoundLine().Matches(resumed.Out).Count); // rounds 1 and 2; round 0 was saved
        Assert.True(File.Exists(Path.Combine(previous, "learning-curves-mc-dropout.png")));
    }

    private static string Summaries(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("summaries").GetRawText();
    }

    /// <summary>Two interleaving half-moons, 160 rows, labels "a" and "b".</summary>
    private static string Moons()
    {
        var rng = new Random(3);
        var lines = new List<string> { "x1,x2,label" };
        for (int i = 0; i < 160; i++)
        {
            int k = i % 2;
            double t = rng.NextDouble() * Math.PI;
            double x = k == 0 ? Math.Cos(t) : 1 - Math.Cos(t), y = k == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x + 0.1 * (rng.NextDouble() - 0.5):F4},{y + 0.1 * (rng.NextDouble() - 0.5):F4},{(k == 0 ? "a" : "b")}"));
        }
        return Write(string.Join("\n", lines) + "\n");
    }

    [GeneratedRegex(@"seed \d+ round \d+:")]
    private static partial Regex RoundLine();
}
