using System.Security.Cryptography;
using System.Text;
using Occam.Distributed;

namespace Occam.Tests.Distributed;

public sealed class PlanTests
{
    private static Plan Small(long seed = 3, string argument = "b") =>
        new(Plan.CurrentFormat, "fit", ["--a", argument], seed, [new PlanTask(0, PlanTaskKind.Fit, seed, "x"), new PlanTask(1, PlanTaskKind.UciSplit, seed + 1, "y split 1", Dataset: "y", Split: 1)]);

    [Fact]
    public void Hash_IsTheSha256OfTheCanonicalJsonWrittenByHand()
    {
        const string canonical = "{\"format\":1,\"command\":\"fit\",\"arguments\":[\"--a\",\"b\"],\"seed\":3,\"tasks\":["
            + "{\"index\":0,\"kind\":\"fit\",\"seed\":3,\"label\":\"x\"},"
            + "{\"index\":1,\"kind\":\"uci-split\",\"seed\":4,\"label\":\"y split 1\",\"dataset\":\"y\",\"split\":1}]}";
        Assert.Equal(canonical, Encoding.UTF8.GetString(Small().CanonicalJson()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), Small().Hash());
    }

    [Fact]
    public void Hash_ChangesWithTheSeedAndTheArguments()
    {
        Assert.Equal(Small().Hash(), Small().Hash());
        Assert.NotEqual(Small().Hash(), Small(seed: 4).Hash());
        Assert.NotEqual(Small().Hash(), Small(argument: "c").Hash());
    }

    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 1 }, "1")]
    [InlineData(new[] { 6, 1, 4, 5 }, "1,4-6")]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 0, 2, 4, 5, 2 }, "0,2,4-5")]
    public void IndexRanges_AreSortedRuns(int[] indices, string expected) => Assert.Equal(expected, IndexRanges.Format(indices));

    [Fact]
    public void IndexRanges_ParseWhatTheyFormat_AndRefuseOtherText()
    {
        Assert.Equal([1, 4, 5, 6], IndexRanges.Parse("1,4-6"));
        Assert.Equal("0,2,4-9", IndexRanges.Format(IndexRanges.Parse(IndexRanges.Format([0, 2, 4, 5, 6, 7, 8, 9]))));
        Assert.Throws<ArgumentException>(() => IndexRanges.Parse("1,x"));
        Assert.Throws<ArgumentException>(() => IndexRanges.Parse("6-4"));
        Assert.Throws<ArgumentException>(() => IndexRanges.Parse("-1"));
    }

    [Fact]
    public void TaskIndex_PrefersTheOptionThenSlurmThenKubernetes()
    {
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "4", ["JOB_COMPLETION_INDEX"] = "7" };
        Assert.Equal((2, "--task"), TaskIndex.Resolve(2, n => env.GetValueOrDefault(n)));
        Assert.Equal((4, "SLURM_ARRAY_TASK_ID"), TaskIndex.Resolve(null, n => env.GetValueOrDefault(n)));
        env.Remove("SLURM_ARRAY_TASK_ID");
        Assert.Equal((7, "JOB_COMPLETION_INDEX"), TaskIndex.Resolve(null, n => env.GetValueOrDefault(n)));
        env.Clear();
        Assert.Contains("no task index", Assert.Throws<ArgumentException>(() => TaskIndex.Resolve(null, n => env.GetValueOrDefault(n))).Message);
        env["JOB_COMPLETION_INDEX"] = "-1";
        Assert.Contains("JOB_COMPLETION_INDEX=-1 is not a task index", Assert.Throws<ArgumentException>(() => TaskIndex.Resolve(null, n => env.GetValueOrDefault(n))).Message);
    }

    [Theory]
    [InlineData("max 100000", null)]
    [InlineData("200000 100000", 2)]
    [InlineData("150000 100000", 2)]
    [InlineData("50000 100000", 1)]
    [InlineData("400000", 4)]
    [InlineData("junk", null)]
    public void ThreadBudget_ReadsTheCgroupQuotaRoundedUp(string line, int? expected) => Assert.Equal(expected, ThreadBudget.FromCpuMax(line));

    [Fact]
    public void ThreadBudget_SlurmCpusPerTaskComesFirst()
    {
        var file = Path.Combine(TestPaths.NewTempDirectory(), "cpu.max");
        File.WriteAllText(file, "300000 100000\n");
        Assert.Equal((5, "SLURM_CPUS_PER_TASK"), ThreadBudget.Find(n => n == "SLURM_CPUS_PER_TASK" ? "5" : null, file));
        Assert.Equal((3, file), ThreadBudget.Find(_ => null, file));
        Assert.Null(ThreadBudget.Find(_ => null, Path.Combine(TestPaths.NewTempDirectory(), "absent")));
    }
}
