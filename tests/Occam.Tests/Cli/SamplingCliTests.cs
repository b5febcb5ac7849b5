using System.Text.Json;
using Occam.Cli;

namespace Occam.Tests.Cli;

/// <summary>The samplers through the command line: diagnostics in fit's outputs, bench reference end to end, and bad input.</summary>
public sealed class SamplingCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string Yacht => Path.Combine(TestPaths.SharedData, "uci", "yacht");

    [Fact]
    public void Fit_Sgld_PrintsAndWritesItsConvergence()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        var (code, output, err) = Run("fit", "--data", Yacht, "--method", "sgld", "--epochs", "8", "--chains", "2", "--thin", "1", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("R̂", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var sampling = json.RootElement.GetProperty("results")[0].GetProperty("sampling");
        Assert.Equal(2, sampling.GetProperty("chains").GetInt32());
        var names = sampling.GetProperty("summaries").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("log_posterior", names);
        Assert.Contains("projection", names);
        Assert.Contains("prediction[0]", names);
        Assert.Contains("convergence", File.ReadAllText(Path.Combine(outDir, "results.md")));
    }

    [Fact]
    public void BenchReference_ScoresMethodsAgainstHmc_AndReusesTheSavedReference()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "reference");
        string[] args = ["bench", "reference", "--data-dir", Path.Combine(TestPaths.SharedData, "uci"), "--datasets", "yacht", "--splits", "1",
            "--methods", "map,sgld", "--epochs", "3", "--sampler-epochs", "4", "--chains", "2", "--thin", "1", "--w1-samples", "200",
            "--reference", "chains=2,warm-up=20,hmc-iterations=12,max-leapfrog=8,max-samples=40", "--out", outDir];
        var (code, output, err) = Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("W1 to HMC", output);
        foreach (var file in new[] { "results.json", "results.md", "agreement-yacht.png", Path.Combine("reference", "yacht", "split-0", "posterior.json") })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        double W1Of(JsonDocument doc, string method) => doc.RootElement.GetProperty("datasets")[0].GetProperty("summary").EnumerateArray()
            .Single(r => r.GetProperty("method").GetString() == method).GetProperty("w1_mean").GetDouble();
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json"))))
        {
            var reference = json.RootElement.GetProperty("datasets")[0].GetProperty("references")[0];
            Assert.True(reference.GetProperty("diagnostics").GetProperty("sampler").GetProperty("acceptance_rate").GetDouble() >= 0);
            Assert.True(W1Of(json, "map") > 0);
            Assert.True(W1Of(json, "sgld") > 0);
        }
        var reused = Run([.. args, "--reuse"]);
        Assert.True(reused.Code == 0, reused.Err);
        Assert.Contains("(loaded)", reused.Out); // the reference was loaded, not sampled
    }

    [Theory]
    [InlineData("sgld", "--step-size", "0")]
    [InlineData("sgld", "--temperature", "0")]
    [InlineData("sghmc", "--momentum", "1")]
    [InlineData("sghmc", "--sghmc-lr", "-1")]
    [InlineData("sgld", "--thin", "0")]
    public void BadSamplerOption_OneLineErrorNamingTheFlag(string method, string flag, string value)
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        var (code, _, err) = Run("fit", "--data", Yacht, "--method", method, flag, value, "--out", outDir);
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith($"error: {flag}", line);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing written");
    }

    [Fact]
    public void MoreSamplesThanMemory_OneLineErrorBeforeAnyWork()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        var (code, output, err) = Run("fit", "--data", Yacht, "--method", "hmc", "--hmc-iterations", "1000000000", "--thin", "1", "--chains", "1",
            "--max-samples", "2000000000", "--out", outDir);
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: --max-samples", line);
        Assert.Contains("memory", line);
        Assert.DoesNotContain("epoch", output); // not even the MAP start ran
    }
}
