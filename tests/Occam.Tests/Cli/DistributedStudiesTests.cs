using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Occam.Cli.Commands;
using Occam.Tests.Cli.Faults;

namespace Occam.Tests.Cli;

/// <summary>
/// plan → work → combine for the MNIST benchmark (one task per method) and for active learning (one task per seed and
/// acquisition function): the combined report equals the single-process command's, wall times aside.
/// </summary>
public sealed class DistributedStudiesTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string[] MnistBench(params string[] extra) =>
    [
        "--data-dir", Path.GetFullPath(Path.Combine(TestPaths.SharedData, "mnist")), "--train-limit", "300", "--test-limit", "100", "--epochs", "1",
        "--batch-size", "32", "--angles", "0,90", "--methods", "map,ivon,ivon@mean", "--seed", "9", .. extra,
    ];

    private static string[] ActiveRun(string seeds = "2") =>
    [
        "--data", Path.GetFullPath(Path.Combine(TestPaths.SharedData, "uci", "yacht")), "--method", "mc-dropout", "--acquisition", "epistemic-variance,random",
        "--initial", "10", "--batch", "5", "--rounds", "2", "--seeds", seeds, "--epochs", "3", "--seed", "4",
    ];

    /// <summary>Plans <paramref name="command"/>, runs every task in this process (as the single run, so with the same torch threads) and combines them.</summary>
    private static (string Store, JsonArray Tasks) PlanWorkCombine(string[] command)
    {
        var store = Path.Combine(TestPaths.NewTempDirectory(), "store");
        var planned = Run(["plan", .. command, "--store", store]);
        Assert.True(planned.Code == 0, planned.Err);
        var tasks = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!["tasks"]!.AsArray();
        var worked = Run("work", "--store", store, "--tasks", $"0-{tasks.Count - 1}");
        Assert.True(worked.Code == 0, worked.Err);
        var combined = Run("combine", "--store", store);
        Assert.True(combined.Code == 0, combined.Err);
        return (store, tasks);
    }

    /// <summary>JSON without its wall times.</summary>
    private static string WithoutSeconds(string json) => Regex.Replace(json, "\"(fit_seconds|predict_seconds|score_seconds|seconds)\": [0-9.eE+-]+", "\"$1\": _");

    [Fact]
    public void MnistBenchmark_PlannedPerMethod_EqualsTheSingleProcessBenchmark()
    {
        var single = TestPaths.NewTempDirectory();
        var run = Run(["bench", "mnist", .. MnistBench(), "--out", single]);
        Assert.True(run.Code == 0, run.Err);

        var (store, tasks) = PlanWorkCombine(["bench", "mnist", .. MnistBench()]);
        Assert.Equal(["map", "ivon,ivon@mean"], tasks.Select(t => (string)t!["label"]!));
        Assert.Equal(["mnist-method", "mnist-method"], tasks.Select(t => (string)t!["kind"]!));
        Assert.Equal([9L, 9L], tasks.Select(t => (long)t!["seed"]!));
        // The OOD folder found beside the MNIST folder is written into the plan, so every worker scores the same images.
        var arguments = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!["arguments"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.SharedData, "notmnist")), arguments[arguments.IndexOf("--ood-dir") + 1]);
        var combined = Path.Combine(store, CombineCommand.ResultFolder);
        Assert.Equal(WithoutSeconds(File.ReadAllText(Path.Combine(single, "results.json"))), WithoutSeconds(File.ReadAllText(Path.Combine(combined, "results.json"))));
        // results.md: the last two columns of the main table are the fit and predict seconds.
        static string Table(string md) => string.Join("\n", md.Split('\n').Select(l => l.StartsWith('|') && l.Count(c => c == '|') == 12 ? string.Join("|", l.Split('|')[..^3]) : l));
        Assert.Equal(Table(File.ReadAllText(Path.Combine(single, "results.md"))), Table(File.ReadAllText(Path.Combine(combined, "results.md"))));
    }

    [Fact]
    public void ActiveLearning_PlannedPerSeedAndAcquisition_EqualsTheSingleProcessRun()
    {
        var single = Path.Combine(TestPaths.NewTempDirectory(), "single");
        var run = Run(["active", .. ActiveRun(), "--out", single]);
        Assert.True(run.Code == 0, run.Err);

        var (store, tasks) = PlanWorkCombine(["active", .. ActiveRun()]);
        Assert.Equal(["epistemic-variance seed 4", "random seed 4", "epistemic-variance seed 5", "random seed 5"], tasks.Select(t => (string)t!["label"]!));
        Assert.Equal([4L, 4, 5, 5], tasks.Select(t => (long)t!["seed"]!));
        // Each task saved its rounds where a rerun of it resumes.
        Assert.True(File.Exists(Path.Combine(store, "state", "3", "random", "seed-5", "state.json")));
        var combined = Path.Combine(store, CombineCommand.ResultFolder);
        Assert.Equal(WithoutSeconds(File.ReadAllText(Path.Combine(single, "results.json"))), WithoutSeconds(File.ReadAllText(Path.Combine(combined, "results.json"))));
        DistributedCliTests.AssertSameFiles(single, combined, ["results.md", "learning-curves-mc-dropout.png"]);
    }

    [Fact]
    public void PlannedStudies_RefuseOut_AndCombineNamesAMissingRun()
    {
        var mnist = Run(["plan", "bench", "mnist", .. MnistBench(), "--out", "x", "--store", Path.Combine(TestPaths.NewTempDirectory(), "s")]);
        CliHarness.AssertRefused(mnist, Occam.Cli.CliApp.BadInput, "--out: a plan's result is written by occam combine");

        var (store, _) = PlanWorkCombine(["active", .. ActiveRun(seeds: "1")]);
        var state = Path.Combine(store, "tasks", "1", "state", "random", "seed-4", "state.json");
        File.Delete(state);
        var combined = Run("combine", "--store", store, "--out", Path.Combine(TestPaths.NewTempDirectory(), "again"));
        CliHarness.AssertRefused(combined, Occam.Cli.CliApp.BadInput, state, "no finished run of random seed 4");
    }
}
