using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>Ctrl-C (the run's cancellation) during training or after it: exit 130, one line, and the previous output left exactly as it was.</summary>
public sealed class InterruptTests
{
    [Fact]
    public void CtrlC_DuringTraining_Exits130_AndKeepsThePreviousOutput()
    {
        var csv = RegressionCsv(400);
        var (previous, snapshot) = PreviousOutput();
        using var interrupt = new CancellationTokenSource();
        var result = Run(["fit", "--data", csv, "--target", "y", "--method", "ensemble", "--epochs", "2000", "--out", previous], interrupt.Token,
            text => { if (text.Contains("fitting", StringComparison.Ordinal)) interrupt.CancelAfter(300); });
        AssertRefused(result, CliApp.Interrupted, "interrupted");
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void CtrlC_AfterTrainingWhileSaving_Exits130_AndKeepsThePreviousOutput()
    {
        var csv = RegressionCsv();
        var (previous, snapshot) = PreviousOutput();
        using var interrupt = new CancellationTokenSource();
        var result = Run(["fit", "--data", csv, "--target", "y", "--method", "laplace", "--epochs", "2", "--out", previous], interrupt.Token,
            text => { if (text.Contains("test metrics", StringComparison.Ordinal)) interrupt.Cancel(); });
        AssertRefused(result, CliApp.Interrupted, "interrupted");
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void ASuccessfulRun_ReplacesThePreviousOutput_LeavingNoStaleFiles()
    {
        var csv = RegressionCsv();
        var (previous, _) = PreviousOutput();
        File.WriteAllText(Path.Combine(previous, "evidence.json"), "{}");
        var result = Run(["fit", "--data", csv, "--target", "y", "--method", "map", "--epochs", "2", "--out", previous]);
        Assert.True(result.Code == 0, result.Err);
        Assert.False(File.Exists(Path.Combine(previous, "evidence.json")), "a file of the earlier run stayed behind");
        Assert.DoesNotContain("earlier", File.ReadAllText(Path.Combine(previous, "results.json")));
    }
}
