using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Occam.Cli;
using Occam.Cli.Commands;
using Occam.Distributed;
using Occam.Tests.Build;
using Occam.Tests.Cli.Faults;

namespace Occam.Tests.Cli;

/// <summary>A K = 3 ensemble through a real Slurm: a failing task cancels the combine job, the rerun completes the store, and the result equals the local engine's.</summary>
[Collection(ProcessHeavyCollection.Name)]
public sealed class SlurmLaunchTests
{
    [SlurmFact]
    public void FailedTask_CancelsTheCombineJob_RerunCompletes_AndEqualsTheLocalEngine()
    {
        Assert.True(WorkerCommand.FindOnPath("sbatch") is not null, "CI=true but sbatch is not on PATH: .ci/slurm-up.sh should have installed and started Slurm");
        Assert.True(Environment.GetEnvironmentVariable("SLURM_CONF") is not null, "CI=true but SLURM_CONF is not set: .ci/slurm-up.sh should have exported it");
        var csv = CliHarness.RegressionCsv(90);
        string[] fit = ["plan", "fit", .. DistributedCliTests.FitArguments(csv)];
        var store = Path.Combine(TestPaths.NewTempDirectory(), "slurm-store");
        Assert.Equal(0, CliHarness.Run([.. fit, "--store", store]).Code);

        Environment.SetEnvironmentVariable(WorkCommand.FaultVariable, "1"); // sbatch passes the environment on to the jobs
        (int Code, string Out, string Err) launched;
        try
        {
            launched = CliHarness.Run(["launch", "--store", store, "--engine", "slurm", "--max-parallel", "2"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkCommand.FaultVariable, null);
        }
        Assert.True(launched.Code == 0, launched.Err);
        var jobs = JsonNode.Parse(File.ReadAllText(Path.Combine(store, "slurm", "jobs.json")))!;
        string array = (string)jobs["array_job"]!, combine = (string)jobs["combine_job"]!;

        var clock = Stopwatch.StartNew();
        string combineState = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(150))
        {
            combineState = Scontrol(combine);
            bool arrayFinished = !Regex.IsMatch(Scontrol(array), "JobState=(PENDING|RUNNING|CONFIGURING|COMPLETING)");
            if (arrayFinished && !combineState.Contains("JobState=PENDING", StringComparison.Ordinal)) break;
            Thread.Sleep(1000);
        }
        Assert.True(combineState.Contains("JobState=CANCELLED", StringComparison.Ordinal) || combineState.Contains("Invalid job id", StringComparison.Ordinal),
            $"the combine job should have been cancelled; scontrol says: {combineState}");
        Assert.DoesNotContain("JobState=COMPLETED", combineState);
        Assert.False(Directory.Exists(Path.Combine(store, CombineCommand.ResultFolder)), "the combine job must not have produced output");
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "logs"), $"slurm-{combine}-combine.log"));

        CliHarness.AssertRefused(CliHarness.Run(["combine", "--store", store]), CliApp.BadInput, "task 1 of 3 is not done");
        Assert.Contains("rerun: 1 ", CliHarness.Run(["status", "--store", store]).Out);
        Assert.Equal(0, CliHarness.Run(["work", "--store", store, "--task", "1"]).Code);
        Assert.Equal(0, CliHarness.Run(["combine", "--store", store]).Code);

        var local = Path.Combine(TestPaths.NewTempDirectory(), "local-store");
        Assert.Equal(0, CliHarness.Run([.. fit, "--store", local]).Code);
        var run = CliHarness.Run(["launch", "--store", local, "--engine", "local"]);
        Assert.True(run.Code == 0, run.Err);
        DistributedCliTests.AssertSameFiles(Path.Combine(local, CombineCommand.ResultFolder), Path.Combine(store, CombineCommand.ResultFolder), DistributedCliTests.ModelFiles);
    }

    private static string Scontrol(string job)
    {
        var start = new ProcessStartInfo("scontrol") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "show", "job", job }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output + error.Result;
    }
}
