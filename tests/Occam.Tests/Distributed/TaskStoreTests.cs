using System.Text.Json.Nodes;
using Occam.Distributed;

namespace Occam.Tests.Distributed;

public sealed class TaskStoreTests
{
    private static Plan ThreeTasks(long seed = 1) =>
        new(Plan.CurrentFormat, "fit", ["--data", "x.csv"], seed, Enumerable.Range(0, 3).Select(i => new PlanTask(i, PlanTaskKind.Fit, seed + i, $"t{i}")).ToList());

    private static void Finish(TaskStore store, int index)
    {
        var temp = store.Begin(index);
        File.WriteAllText(Path.Combine(temp, "out.txt"), index.ToString());
        Assert.True(store.Commit(index, temp, 0.5));
    }

    [Fact]
    public void FinishedTasks_AreDone_AndTheRestNamedInRerunForm()
    {
        var store = TaskStore.Create(Path.Combine(TestPaths.NewTempDirectory(), "store"), ThreeTasks());
        Finish(store, 1);
        Assert.Equal([1], store.Done());
        Assert.Equal([0, 2], store.Missing());
        Assert.DoesNotContain(Directory.EnumerateDirectories(store.TasksDirectory), d => d.Contains(".tmp-"));
        var e = Assert.Throws<IncompleteStoreException>(() => store.RequireComplete());
        Assert.Contains("tasks 0,2 of 3 are not done", e.Message);
        Finish(store, 0);
        Finish(store, 2);
        Assert.Equal(3, store.RequireComplete().Count);
        Assert.Equal("1", File.ReadAllText(Path.Combine(store.TaskDirectory(1), "out.txt")));
    }

    [Fact]
    public void ASecondWorkerOnAFinishedTask_KeepsTheFirstOutput()
    {
        var store = TaskStore.Create(Path.Combine(TestPaths.NewTempDirectory(), "store"), ThreeTasks());
        var first = store.Begin(0);
        var second = Path.Combine(store.TasksDirectory, "0.tmp-other");
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(first, "out.txt"), "first");
        File.WriteAllText(Path.Combine(second, "out.txt"), "second");
        Assert.True(store.Commit(0, first, 1));
        Assert.False(store.Commit(0, second, 1));
        Assert.Equal("first", File.ReadAllText(Path.Combine(store.TaskDirectory(0), "out.txt")));
        Assert.False(Directory.Exists(second));
    }

    [Fact]
    public void EditedPlan_IsRefusedByHash()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "store");
        TaskStore.Create(dir, ThreeTasks());
        var file = Path.Combine(dir, TaskStore.PlanFileName);
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        json["seed"] = 2;
        File.WriteAllText(file, json.ToJsonString());
        var e = Assert.Throws<PlanMismatchException>(() => TaskStore.Open(dir));
        Assert.Contains("changed after planning", e.Message);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void TaskOutputOfAnotherPlan_IsRefused()
    {
        var root = TestPaths.NewTempDirectory();
        var ours = TaskStore.Create(Path.Combine(root, "ours"), ThreeTasks(seed: 1));
        var theirs = TaskStore.Create(Path.Combine(root, "theirs"), ThreeTasks(seed: 2));
        Finish(theirs, 1);
        Directory.CreateDirectory(ours.TasksDirectory);
        Directory.Move(theirs.TaskDirectory(1), ours.TaskDirectory(1));
        var e = Assert.Throws<PlanMismatchException>(() => ours.Missing());
        Assert.Contains("belongs to another plan", e.Message);
        Assert.Contains(Path.Combine(ours.TaskDirectory(1), TaskMarker.FileName), e.Message);
    }

    [Fact]
    public void AStoreOfAnotherPlan_OrOfOtherFiles_IsNotOverwritten()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "store");
        TaskStore.Create(dir, ThreeTasks(seed: 1));
        Assert.Equal(ThreeTasks(seed: 1).Hash(), TaskStore.Create(dir, ThreeTasks(seed: 1)).Hash);
        Assert.Contains("already holds another plan", Assert.Throws<PlanMismatchException>(() => TaskStore.Create(dir, ThreeTasks(seed: 9))).Message);
        var other = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mine");
        Assert.Contains("holds files but no plan.json", Assert.Throws<ArgumentException>(() => TaskStore.Create(other, ThreeTasks())).Message);
    }

    [Fact]
    public void IndexOutsideThePlan_IsRefused()
    {
        var store = TaskStore.Create(Path.Combine(TestPaths.NewTempDirectory(), "store"), ThreeTasks());
        Assert.Contains("--task 3 is outside this plan's tasks 0..2", Assert.Throws<ArgumentException>(() => store.Begin(3)).Message);
        Assert.Throws<ArgumentException>(() => store.Marker(-1));
    }
}
