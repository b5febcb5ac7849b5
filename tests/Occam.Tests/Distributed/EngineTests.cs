using Occam.Distributed;

namespace Occam.Tests.Distributed;

public sealed class EngineTests
{
    private static KubernetesJobSettings Settings(int? cpus = 2) =>
        new("occam-0123456789ab", "/stores/run 1", ["occam", "work", "--store", "/stores/run 1"], 5, 2, 1, "registry.example/occam:0.4", "occam-store", cpus);

    private static string ExpectedFile => Path.Combine(TestPaths.RepositoryRoot, "tests", "Occam.Tests", "Distributed", "expected-k8s-job.yaml");

    [Fact]
    public void KubernetesManifest_MatchesTheStoredOne()
    {
        Assert.Equal(File.ReadAllText(ExpectedFile), YamlText.Write(KubernetesJob.Manifest(Settings())));
    }

    [Fact]
    public void KubernetesManifest_IsAnIndexedJobOverTheSharedVolume()
    {
        var manifest = KubernetesJob.Manifest(Settings());
        Assert.Equal("batch/v1", manifest["apiVersion"]);
        Assert.Equal("Job", manifest["kind"]);
        var spec = (OrderedDictionary<string, object>)manifest["spec"];
        Assert.Equal("Indexed", spec["completionMode"]);
        Assert.Equal(5, spec["completions"]);
        Assert.Equal(2, spec["parallelism"]);
        Assert.Equal(1, spec["backoffLimitPerIndex"]);
        var pod = (OrderedDictionary<string, object>)((OrderedDictionary<string, object>)spec["template"])["spec"];
        Assert.Equal("Never", pod["restartPolicy"]);
        var container = (OrderedDictionary<string, object>)Assert.Single((List<object>)pod["containers"]);
        Assert.Equal(new List<object> { "occam", "work", "--store", "/stores/run 1" }, container["command"]);
        var mount = (OrderedDictionary<string, object>)Assert.Single((List<object>)container["volumeMounts"]);
        Assert.Equal("/stores/run 1", mount["mountPath"]);
        var volume = (OrderedDictionary<string, object>)Assert.Single((List<object>)pod["volumes"]);
        Assert.Equal(mount["name"], volume["name"]);
        Assert.Equal("occam-store", ((OrderedDictionary<string, object>)volume["persistentVolumeClaim"])["claimName"]);
        Assert.DoesNotContain("env", container.Keys); // Kubernetes sets JOB_COMPLETION_INDEX in Indexed Jobs itself
    }

    [Fact]
    public void KubernetesManifest_ParallelismNeverExceedsTheTasks_AndCpusAreOptional()
    {
        var manifest = KubernetesJob.Manifest(Settings(cpus: null) with { Parallelism = 50 });
        var spec = (OrderedDictionary<string, object>)manifest["spec"];
        Assert.Equal(5, spec["parallelism"]);
        var pod = (OrderedDictionary<string, object>)((OrderedDictionary<string, object>)spec["template"])["spec"];
        Assert.DoesNotContain("resources", ((OrderedDictionary<string, object>)((List<object>)pod["containers"])[0]).Keys);
    }

    [Fact]
    public void Yaml_QuotesStringsAndNestsListsOfMaps()
    {
        var map = new OrderedDictionary<string, object>
        {
            ["a"] = "x: \"y\"",
            ["n"] = 3,
            ["list"] = new List<object> { new OrderedDictionary<string, object> { ["k"] = "v", ["m"] = new OrderedDictionary<string, object> { ["z"] = true } } },
            ["flow"] = new List<object> { "p", 1 },
            ["empty"] = new OrderedDictionary<string, object>(),
        };
        Assert.Equal("a: \"x: \\u0022y\\u0022\"\nn: 3\nlist:\n  - k: \"v\"\n    m:\n      z: true\nflow: [\"p\", 1]\nempty: {}\n", YamlText.Write(map));
    }

    [Fact]
    public void Slurm_SubmitsTheArrayThenACombineJobThatDependsOnIt()
    {
        var store = TaskStore.Create(Path.Combine(TestPaths.NewTempDirectory(), "store"),
            new Plan(Plan.CurrentFormat, "fit", [], 0, Enumerable.Range(0, 7).Select(i => new PlanTask(i, PlanTaskKind.Fit, i, "t")).ToList()));
        var worker = new WorkerCommand("/usr/bin/dotnet", ["/opt/occam/Occam.Cli.dll"]);
        var submission = SlurmEngine.Prepare(store, worker, [1, 4, 5, 6], maxParallel: 2, cpusPerTask: 3, write: true);
        Assert.Contains("--array=1,4-6%2", submission.ArrayArguments);
        Assert.Contains("--cpus-per-task=3", submission.ArrayArguments);
        Assert.Equal(Path.Combine(store.Directory, "slurm", "work.sh"), submission.ArrayArguments[^1]);
        Assert.Contains($"exec /usr/bin/dotnet /opt/occam/Occam.Cli.dll work --store {store.Directory}\n", File.ReadAllText(submission.ArrayArguments[^1]));
        Assert.Contains($"exec /usr/bin/dotnet /opt/occam/Occam.Cli.dll combine --store {store.Directory}\n", File.ReadAllText(submission.CombineArguments[^1]));

        var calls = new List<IReadOnlyList<string>>();
        var ids = new Queue<string>(["41", "42;cluster"]);
        var (array, combine) = SlurmEngine.Submit(submission, args =>
        {
            calls.Add(args);
            return (0, ids.Dequeue() + "\n", "");
        });
        Assert.Equal(("41", "42"), (array, combine));
        Assert.Contains("--dependency=afterok:41", calls[1]);
        Assert.Contains("--kill-on-invalid-dep=yes", calls[1]);
        var refused = Assert.Throws<OccamException>(() => SlurmEngine.Submit(submission, _ => (1, "", "sbatch: error: Invalid partition name specified\n")));
        Assert.Contains("Invalid partition name", refused.Message);
    }

    [Fact]
    public void ShellQuoting_SurvivesSpacesAndQuotes()
    {
        Assert.Equal("plain/path-1.dll", WorkerCommand.Quote("plain/path-1.dll"));
        Assert.Equal("'a b'", WorkerCommand.Quote("a b"));
        Assert.Equal("'it'\\''s'", WorkerCommand.Quote("it's"));
        Assert.Equal("''", WorkerCommand.Quote(""));
    }
}
