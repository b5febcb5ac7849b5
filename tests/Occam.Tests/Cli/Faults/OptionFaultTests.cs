using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>Bad options: each is refused by name before any work, exit 2, one line, the previous output unchanged.</summary>
public sealed class OptionFaultTests
{
    public static TheoryData<string[], string> FitCases => new()
    {
        { ["--method", "bogus"], "unknown method 'bogus'" },
        { ["--method", "ensemble", "--members", "0"], "--members" },
        { ["--method", "map", "--members", "3"], "--members does not apply to map" },
        { ["--method", "laplace", "--hessian", "blocky"], "--hessian expects one of" },
        { ["--method", "ivon", "--samples", "-2"], "--samples" },
        { ["--method", "map", "--hidden", ",,"], "--hidden expects positive integers" },
        { ["--method", "map", "--epochs", "0"], "--epochs must be at least 1" },
        { ["--method", "map", "--lr", "-1"], "--lr must be positive" },
        { ["--method", "map", "--prior-precision", "-1"], "--prior-precision must be non-negative" },
        { ["--method", "map", "--prior", "cauchy"], "--prior must be gaussian, laplace or spike-slab" },
        { ["--method", "map", "--prior", "laplace", "--prior-scale", "0"], "--prior-scale must be positive" },
        { ["--method", "map", "--prior-scale", "0.5"], "--prior-scale sets the scale of --prior laplace" },
        { ["--method", "map", "--prior", "laplace", "--prior-precision", "2"], "--prior-precision sets a Gaussian prior" },
        { ["--method", "laplace", "--prior", "laplace"], "needs a Gaussian prior" },
        { ["--method", "map", "--likelihood", "bogus"], "--likelihood must be" },
        { ["--method", "map", "--schedule", "bogus"], "--schedule" },
        { ["--method", "map", "--device", "tpu"], "--device must be cpu or cuda" },
        { ["--method", "map", "--device", "cuda"], "CUDA is not available" },
        { ["--method", "map", "--test-fraction", "1.5"], "--test-fraction must lie in [0, 1)" },
        { ["--method", "map", "--split", "2"], "--split applies to UCI benchmark folders" },
        { ["--method", "map", "--limit", "2"], "--limit applies to IDX image folders" },
        { ["--method", "map", "--missing", "sometimes"], "--missing expects one of error, drop-rows" },
        { ["--method", "map", "--hidden", "100000,100000"], "choose a smaller network" },
    };

    [Theory, MemberData(nameof(FitCases))]
    public void Fit_BadOption_IsRefusedByName(string[] options, string expected)
    {
        var csv = RegressionCsv();
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["fit", "--data", csv, "--target", "y", "--out", previous, .. options]);
        AssertRefused(result, CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void CsvOnlyOptions_OnAUciFolder_AreRefusedByName()
    {
        var uci = Path.Combine(TestPaths.SharedData, "uci", "yacht");
        AssertRefused(Run(["fit", "--data", uci, "--method", "map", "--target", "y"]), CliApp.BadInput, "--target applies to CSV files");
        AssertRefused(Run(["fit", "--data", uci, "--method", "map", "--test-fraction", "0.2"]), CliApp.BadInput, "--test-fraction applies to CSV files");
        AssertRefused(Run(["fit", "--data", uci, "--method", "map", "--split", "25"]), CliApp.BadInput, "--split must lie in 0..19");
    }

    [Theory]
    [InlineData("is a file")]
    [InlineData("holds files Occam did not write")]
    [InlineData("cannot be written")]
    public void Fit_BadOut_IsRefusedBeforeAnyWork(string expected)
    {
        var csv = RegressionCsv();
        string target = expected switch
        {
            "is a file" => Write("not a folder", "results.txt"),
            "holds files Occam did not write" => Path.GetDirectoryName(csv)!,
            _ => "/proc/occam-out",
        };
        // the target column does not exist: had the data been read (and so training begun) before --out was checked, that would be the error
        var result = Run(["fit", "--data", csv, "--target", "no-such-column", "--method", "ensemble", "--epochs", "200", "--out", target]);
        AssertRefused(result, CliApp.BadInput, "--out", expected);
        Assert.True(File.Exists(csv), "a foreign folder is left alone");
    }

    public static TheoryData<string[], string> BenchCases => new()
    {
        { ["--datasets", "yacht", "--splits", "50"], "Splits must lie in 1..20" },
        { ["--datasets", "yacht,yacht"], "--datasets lists a dataset more than once" },
        { ["--datasets", "yacht,nowhere"], "no such dataset folder" },
        { ["--datasets", "yacht", "--methods", "map,map"], "--methods lists map more than once" },
        { ["--datasets", "yacht", "--methods", "map", "--vi-samples", "3"], "--vi-samples does not apply to map" },
    };

    [Theory, MemberData(nameof(BenchCases))]
    public void BenchUci_BadOption_IsRefusedBeforeRunning(string[] options, string expected)
    {
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["bench", "uci", "--data-dir", Path.Combine(TestPaths.SharedData, "uci"), "--epochs", "1", "--out", previous, .. options]);
        AssertRefused(result, CliApp.BadInput, expected);
        AssertUnchanged(previous, snapshot);
    }
}
