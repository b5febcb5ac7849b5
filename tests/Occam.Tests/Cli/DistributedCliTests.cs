using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Occam.Cli;
using Occam.Cli.Commands;
using Occam.Tests.Cli.Faults;

namespace Occam.Tests.Cli;

/// <summary>
/// plan → work → combine against the single-process commands: the combined ensemble, MultiSWAG fit, sampler chains and benchmark equal the
/// ones fit and bench uci write in one process, byte for byte (benchmark wall times aside).
/// </summary>
public sealed class DistributedCliTests
{
    internal static readonly string[] ModelFiles = ["model/posterior.json", "model/tensors.bin", "results.md"];

    internal static string[] FitArguments(string csv) =>
        ["--data", csv, "--target", "y", "--method", "ensemble", "--members", "3", "--epochs", "4", "--hidden", "16", "--seed", "11"];

    private static string[] MultiSwagArguments(string csv) =>
        ["--data", csv, "--target", "y", "--method", "multiswag", "--members", "3", "--samples", "7", "--epochs", "4", "--hidden", "16", "--seed", "11"];

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string Plan(string[] command, string? store = null)
    {
        store ??= Path.Combine(TestPaths.NewTempDirectory(), "store");
        var planned = Run([.. command.Take(command[0] == "bench" ? 2 : 1).Prepend("plan"), .. command.Skip(command[0] == "bench" ? 2 : 1), "--store", store]);
        Assert.True(planned.Code == 0, planned.Err);
        return store;
    }

    internal static void AssertSameFiles(string expected, string actual, IEnumerable<string> files)
    {
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
    }

    /// <summary>
    /// Fits <paramref name="arguments"/> in one process with --batched false, then plans and launches the same fit; asserts
    /// three tasks of <paramref name="kind"/> with the member seeds of seed 11, and the combined files equal to the single
    /// fit's byte for byte. Returns the store.
    /// </summary>
    private static string AssertPlannedFitEqualsSingleProcess(string[] arguments, string kind)
    {
        var single = TestPaths.NewTempDirectory();
        var fit = Run(["fit", .. arguments, "--batched", "false", "--out", single]);
        Assert.True(fit.Code == 0, fit.Err);

        var store = Plan(["fit", .. arguments]);
        var tasks = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!["tasks"]!.AsArray();
        Assert.Equal([kind, kind, kind], tasks.Select(t => (string)t!["kind"]!));
        Assert.Equal([11L * 1_000_003 + 1, 11L * 1_000_003 + 2, 11L * 1_000_003 + 3], tasks.Select(t => (long)t!["seed"]!));
        var launched = Run("launch", "--store", store, "--max-parallel", "2");
        Assert.True(launched.Code == 0, launched.Err);
        AssertSameFiles(single, Path.Combine(store, CombineCommand.ResultFolder), [.. ModelFiles, "observed-vs-predicted.png", "coverage.png"]);
        return store;
    }

    [Fact]
    public void Ensemble_LocalLaunch_EqualsTheSingleProcessFit_ByteForByte()
    {
        var csv = CliHarness.RegressionCsv(90);
        var single = TestPaths.NewTempDirectory();
        var fit = Run(["fit", .. FitArguments(csv), "--batched", "false", "--out", single]);
        Assert.True(fit.Code == 0, fit.Err);

        var store = Plan(["fit", .. FitArguments(csv)]);
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!;
        Assert.Equal(3, plan["tasks"]!.AsArray().Count);
        Assert.Equal([11L * 1_000_003 + 1, 11L * 1_000_003 + 2, 11L * 1_000_003 + 3], plan["tasks"]!.AsArray().Select(t => (long)t!["seed"]!));
        var launched = Run("launch", "--store", store, "--max-parallel", "2");
        Assert.True(launched.Code == 0, launched.Err);
        AssertSameFiles(single, Path.Combine(store, CombineCommand.ResultFolder), [.. ModelFiles, "observed-vs-predicted.png", "coverage.png"]);

        var predicted = Run("predict", "--model", Path.Combine(store, CombineCommand.ResultFolder), "--data", csv);
        Assert.True(predicted.Code == 0, predicted.Err);
    }

    [Fact]
    public void Ensemble_BatchedSingleProcessFit_IsNotWhatThePlanReproduces()
    {
        // the plan trains members one by one; the batched fit draws its members from one stacked network
        var csv = CliHarness.RegressionCsv(90);
        var batched = TestPaths.NewTempDirectory();
        Assert.Equal(0, Run(["fit", .. FitArguments(csv), "--out", batched]).Code);
        var store = Plan(["fit", .. FitArguments(csv)]);
        for (int i = 0; i < 3; i++) Assert.Equal(0, Run("work", "--store", store, "--task", i.ToString()).Code);
        Assert.Equal(0, Run("combine", "--store", store).Code);
        Assert.False(File.ReadAllBytes(Path.Combine(batched, "model/tensors.bin")).SequenceEqual(File.ReadAllBytes(Path.Combine(store, "result/model/tensors.bin"))));
        var refused = Run(["plan", "fit", .. FitArguments(csv), "--batched", "--store", Path.Combine(TestPaths.NewTempDirectory(), "s")]);
        CliHarness.AssertRefused(refused, CliApp.BadInput, "--batched", "own task");
    }

    [Fact]
    public void MultiSwag_LocalLaunch_EqualsTheSingleProcessFit_ByteForByte()
    {
        var csv = CliHarness.RegressionCsv(90);
        var store = AssertPlannedFitEqualsSingleProcess(MultiSwagArguments(csv), "multiswag-member");

        var predicted = Run("predict", "--model", Path.Combine(store, CombineCommand.ResultFolder), "--data", csv);
        Assert.True(predicted.Code == 0, predicted.Err);
        var refused = Run(["plan", "fit", .. MultiSwagArguments(csv), "--batched", "true", "--store", Path.Combine(TestPaths.NewTempDirectory(), "s")]);
        CliHarness.AssertRefused(refused, CliApp.BadInput, "--batched", "MultiSWAG", "own task");
    }

    [Theory]
    [InlineData("sgld", "6")]
    [InlineData("csghmc", "16")]
    public void SamplerChains_LocalLaunch_EqualsTheSingleProcessFit_ByteForByte(string method, string samplerEpochs)
    {
        var csv = CliHarness.RegressionCsv(90);
        string[] arguments = ["--data", csv, "--target", "y", "--method", method, "--chains", "3", "--epochs", "3", "--sampler-epochs", samplerEpochs, "--hidden", "16", "--seed", "11"];
        var store = AssertPlannedFitEqualsSingleProcess(arguments, "sampler-chain");

        // the batched single-process run draws its chains from one stacked network: another posterior
        var batched = TestPaths.NewTempDirectory();
        Assert.Equal(0, Run(["fit", .. arguments, "--out", batched]).Code);
        Assert.False(File.ReadAllBytes(Path.Combine(batched, "model/tensors.bin")).SequenceEqual(File.ReadAllBytes(Path.Combine(store, "result/model/tensors.bin"))));
        var refused = Run(["plan", "fit", .. arguments, "--batched", "true", "--store", Path.Combine(TestPaths.NewTempDirectory(), "s")]);
        CliHarness.AssertRefused(refused, CliApp.BadInput, "--batched", "sampler", "chain in its own task");
    }

    [Fact]
    public void Hmc_IsPlannedAsOneTask()
    {
        var csv = CliHarness.RegressionCsv(40);
        var store = Plan(["fit", "--data", csv, "--target", "y", "--method", "hmc", "--chains", "2", "--hidden", "8"]);
        var tasks = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!["tasks"]!.AsArray();
        Assert.Equal(["fit"], tasks.Select(t => (string)t!["kind"]!));
    }

    [Fact]
    public void UciBenchmark_LocalLaunch_EqualsTheSingleProcessBenchmark()
    {
        string[] bench = ["bench", "uci", "--data-dir", Path.Combine(TestPaths.SharedData, "uci"), "--datasets", "yacht,energy", "--methods", "map,ensemble",
            "--splits", "2", "--epochs", "2", "--members", "2", "--seed", "5"];
        var single = TestPaths.NewTempDirectory();
        var run = Run([.. bench, "--out", single]);
        Assert.True(run.Code == 0, run.Err);

        var store = Plan(bench);
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "plan.json")))!;
        Assert.Equal(["yacht split 0", "yacht split 1", "energy split 0", "energy split 1"], plan["tasks"]!.AsArray().Select(t => (string)t!["label"]!));
        Assert.Equal([5L, 6, 5, 6], plan["tasks"]!.AsArray().Select(t => (long)t!["seed"]!));
        var launched = Run("launch", "--store", store, "--max-parallel", "2");
        Assert.True(launched.Code == 0, launched.Err);
        var combined = Path.Combine(store, CombineCommand.ResultFolder);
        Assert.Equal(WithoutSeconds(File.ReadAllText(Path.Combine(single, "results.json"))), WithoutSeconds(File.ReadAllText(Path.Combine(combined, "results.json"))));
        Assert.Equal(WithoutSecondsColumn(File.ReadAllText(Path.Combine(single, "results.md"))), WithoutSecondsColumn(File.ReadAllText(Path.Combine(combined, "results.md"))));
    }

    /// <summary>results.json without its wall times (the only field a distributed run measures differently).</summary>
    private static string WithoutSeconds(string json) => Regex.Replace(json, "\"seconds\": [0-9.eE+-]+", "\"seconds\": _");

    /// <summary>results.md without the seconds column (the seventh).</summary>
    private static string WithoutSecondsColumn(string markdown) =>
        string.Join("\n", markdown.Split('\n').Select(line => line.StartsWith('|') ? string.Join("|", line.Split('|').Where((_, i) => i != 7)) : line));

    [Fact]
    public void Status_NamesMissingTasks_CombineRefusesThem_AndFaultyTasksFailTheLaunch()
    {
        var csv = CliHarness.RegressionCsv(60);
        var store = Plan(["fit", .. FitArguments(csv)]);
        Assert.Equal(0, Run("work", "--store", store, "--task", "0").Code);
        var skipped = Run("work", "--store", store, "--task", "0");
        Assert.Contains("already done", skipped.Out);
        var status = Run("status", "--store", store);
        Assert.Equal(0, status.Code);
        Assert.Contains("done: 1 (0)", status.Out);
        Assert.Contains("rerun: 1-2", status.Out);
        CliHarness.AssertRefused(Run("combine", "--store", store), CliApp.BadInput, "tasks 1-2 of 3 are not done");

        Environment.SetEnvironmentVariable(WorkCommand.FaultVariable, "1");
        try
        {
            CliHarness.AssertRefused(Run("launch", "--store", store, "--only-missing"), CliApp.BadInput, "task 1 failed (exit 3", "--only-missing");
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkCommand.FaultVariable, null);
        }
        Assert.Contains("rerun: 1", Run("status", "--store", store).Out);
        Assert.Equal(0, Run("launch", "--store", store, "--only-missing").Code);
        Assert.True(File.Exists(Path.Combine(store, "result", "model", "posterior.json")));
    }

    [Fact]
    public void BadStores_AreRefusedWithOneLine()
    {
        var csv = CliHarness.RegressionCsv(60);
        var store = Plan(["fit", .. FitArguments(csv)]);
        CliHarness.AssertRefused(Run("work", "--store", store, "--task", "3"), CliApp.BadInput, "--task 3 is outside this plan's tasks 0..2");
        CliHarness.AssertRefused(Run("work", "--store", store), CliApp.BadInput, "no task index");
        CliHarness.AssertRefused(Run("status", "--store", TestPaths.NewTempDirectory()), CliApp.BadInput, "holds no plan.json");

        var other = Plan(["fit", .. FitArguments(csv).Select(a => a == "4" ? "3" : a)]);
        Assert.Equal(0, Run("work", "--store", other, "--task", "0").Code);
        Directory.CreateDirectory(Path.Combine(store, "tasks"));
        Directory.Move(Path.Combine(other, "tasks", "0"), Path.Combine(store, "tasks", "0"));
        CliHarness.AssertRefused(Run("combine", "--store", store), CliApp.BadInput, Path.Combine(store, "tasks", "0", "done.json"), "belongs to another plan");

        var planFile = Path.Combine(store, "plan.json");
        File.WriteAllText(planFile, File.ReadAllText(planFile).Replace("\"4\"", "\"40\""));
        CliHarness.AssertRefused(Run("status", "--store", store), CliApp.BadInput, planFile, "changed after planning");
    }

    [Fact]
    public void Launch_WithoutSbatch_IsOneClearError_AndKubernetesWritesTheManifest()
    {
        var csv = CliHarness.RegressionCsv(60);
        var store = Plan(["fit", .. FitArguments(csv)]);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", TestPaths.NewTempDirectory());
        try
        {
            CliHarness.AssertRefused(Run("launch", "--store", store, "--engine", "slurm"), CliApp.BadInput, "--engine slurm", "sbatch is not on PATH");
            var k8s = Run("launch", "--store", store, "--engine", "k8s", "--max-parallel", "2", "--image", "occam:test");
            Assert.True(k8s.Code == 0, k8s.Err);
            Assert.Contains("kubectl is not on PATH", k8s.Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
        var yaml = File.ReadAllText(Path.Combine(store, "k8s-job.yaml"));
        Assert.Contains("completionMode: \"Indexed\"\n", yaml);
        Assert.Contains("completions: 3\n", yaml);
        Assert.Contains("parallelism: 2\n", yaml);
        Assert.Contains($"mountPath: \"{store}\"", yaml);
        var dry = Run("launch", "--store", store, "--engine", "k8s", "--dry-run", "--max-parallel", "2", "--image", "occam:test");
        Assert.Equal(yaml, dry.Out);
    }
}
