using System.Text.Json;
using Occam.Cli;
using Occam.Reporting;
using Occam.Tests.Reporting;

namespace Occam.Tests.Cli;

public sealed class LeaderboardCliTests
{
    // The first file, as bench uci writes it (with evidence_per_point and convergence), in a folder.
    private const string First = """
        [
          {"dataset": "yacht", "method": "ensemble", "splits": 20, "test_ll_mean": -1.0, "test_ll_se": 0.1, "rmse_mean": 0.9, "rmse_se": 0.05,
           "coverage95_mean": 0.96, "seconds": 12.5, "evidence_per_point": null, "convergence": null},
          {"dataset": "yacht", "method": "map", "splits": 20, "test_ll_mean": -2.0, "test_ll_se": 0.2, "rmse_mean": 1.4, "rmse_se": 0.1,
           "coverage95_mean": 0.9, "seconds": 3.0, "evidence_per_point": null, "convergence": null},
          {"dataset": "yacht", "method": "sgld", "splits": 20, "test_ll_mean": -1.5, "test_ll_se": 0.1, "rmse_mean": 0.8, "rmse_se": 0.05,
           "coverage95_mean": 0.99, "seconds": 30.0, "evidence_per_point": null,
           "convergence": {"max_function_rhat": 1.2, "max_weight_rhat": 2.0, "min_bulk_ess": 9, "min_tail_ess": 16, "acceptance_rate": null, "divergences": 0}},
          {"dataset": "mydata", "method": "ensemble", "splits": 5, "test_ll_mean": -0.5, "test_ll_se": 0.05, "rmse_mean": 0.3, "rmse_se": 0.01,
           "coverage95_mean": 0.95, "seconds": 4.0, "evidence_per_point": null, "convergence": null},
          {"dataset": "mydata", "method": "map", "splits": 5, "test_ll_mean": -0.4, "test_ll_se": 0.05, "rmse_mean": 0.3, "rmse_se": 0.01,
           "coverage95_mean": 0.93, "seconds": 1.0, "evidence_per_point": 0.25, "convergence": null}
        ]
        """;

    // The second file, in the older form without evidence_per_point and convergence: a rerun of sgld on yacht.
    private const string Second = """
        [
          {"dataset": "yacht", "method": "sgld", "splits": 20, "test_ll_mean": -0.8, "test_ll_se": 0.05, "rmse_mean": 0.7, "rmse_se": 0.04,
           "coverage95_mean": 0.98, "seconds": 40.0}
        ]
        """;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void TwoFiles_WriteMarkdownJsonAndPlots_WithTheHandComputedStandings()
    {
        var folder = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(folder, "results.json"), First);
        var second = Path.Combine(TestPaths.NewTempDirectory(), "rerun.json");
        File.WriteAllText(second, Second);
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "board");

        var (code, output, err) = Run("bench", "leaderboard", "--results", $"{folder},{second}", "--out", outDir, "--title", "Small board");

        Assert.True(code == 0, err);
        foreach (var file in new[] { "leaderboard.md", "leaderboard.json" }) Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        // yacht: sgld −0.8 (the rerun replaces −1.5), ensemble −1.0, map −2.0 → ranks 1, 2, 3; mydata: map −0.4, ensemble −0.5 → 1, 2.
        // Mean ranks: sgld 1 (1 dataset), ensemble (2 + 2)/2 = 2, map (3 + 1)/2 = 2.
        // Against the ensemble: sgld on yacht +0.2 > √(0.05² + 0.1²) ≈ 0.112 → better; map on yacht −1.0 < −√(0.2² + 0.1²) ≈ −0.224
        // → worse, on mydata +0.1 > √(0.05² + 0.05²) ≈ 0.071 → better. Published: yacht's best −1.18 ≤ −0.8 → at or above; mydata has none.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "leaderboard.json")));
        var root = json.RootElement;
        Assert.Equal("Small board", root.GetProperty("title").GetString());
        var ranks = root.GetProperty("ranks").EnumerateArray().Select(r => (r.GetProperty("method").GetString(), r.GetProperty("mean_rank").GetDouble(), r.GetProperty("datasets").GetInt32())).ToList();
        Assert.Equal([("sgld", 1.0, 1), ("ensemble", 2.0, 2), ("map", 2.0, 2)], ranks);
        var tallies = root.GetProperty("ensemble").GetProperty("summary").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Equal(["sgld: better on 1, tie on 0, worse on 0 of 1 dataset", "map: better on 1, tie on 0, worse on 1 of 2 datasets"], tallies);
        var published = root.GetProperty("published");
        Assert.Equal(1, published.GetProperty("at_or_above").GetInt32());
        Assert.Equal(1, published.GetProperty("compared").GetInt32());
        Assert.Equal(-1.18, published.GetProperty("datasets")[0].GetProperty("best_published_test_ll").GetDouble());
        var yacht = root.GetProperty("datasets")[0];
        Assert.Equal(["sgld", "ensemble", "map"], yacht.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetProperty("method").GetString()));
        Assert.Equal(["[2]", "[1]", "[1]"], yacht.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("source").GetString()));
        Assert.Equal(-0.8, yacht.GetProperty("rows")[0].GetProperty("row").GetProperty("test_ll_mean").GetDouble());
        Assert.Equal(3, yacht.GetProperty("published").GetArrayLength());
        Assert.Equal(0, root.GetProperty("datasets")[1].GetProperty("published").GetArrayLength());
        var superseded = Assert.Single(root.GetProperty("superseded").EnumerateArray().ToList());
        Assert.Equal(folder, superseded.GetProperty("source").GetString());
        Assert.Equal(second, superseded.GetProperty("replaced_by").GetString());

        var md = File.ReadAllText(Path.Combine(outDir, "leaderboard.md"));
        Assert.StartsWith("# Small board\n", md);
        Assert.Contains("sgld: better on 1, tie on 0, worse on 0 of 1 dataset", md);
        Assert.Contains("At or above the best published test LL on 1 of 1 dataset.", md);
        Assert.Contains("compare means", md);
        Assert.Contains("- yacht sgld: [2] replaces [1]", md);
        Assert.Contains($"[2] `{second}`: 1 row used", md);
        Assert.Contains($"[1] `{folder}`: 4 rows used, 1 replaced by later rows", md);
        Assert.Contains("| -0.800 ± 0.050 |", md);
        Assert.Contains("**sgld** (best)", md);
        Assert.Contains("At or above the best published test LL on 1 of 1 dataset.", output);

        PngFile.AssertValid(Path.Combine(outDir, "test-ll-yacht.png"), 900, MethodScorePlot.Height(3));
        PngFile.AssertValid(Path.Combine(outDir, "test-ll-mydata.png"), 900, MethodScorePlot.Height(2));
        PngFile.AssertValid(Path.Combine(outDir, "ranks.png"), 800, MethodScorePlot.Height(3));
        Assert.Equal(6, Directory.GetFiles(outDir).Length); // the five above and the output marker
    }

    [Fact]
    public void PlotNames_KeepFilesInsideTheFolder_AndApart()
    {
        var names = LeaderboardOutput.PlotNames(["yacht", "../evil", "a b", "a_b"]);
        Assert.Equal("test-ll-yacht.png", names["yacht"]);
        Assert.Equal("test-ll-_evil.png", names["../evil"]);
        Assert.Equal("test-ll-a_b.png", names["a b"]);
        Assert.Equal("test-ll-a_b-2.png", names["a_b"]);
    }
}
