using System.Text.Json;
using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>A small regression model (MAP) and an ensemble, fitted once for the geometry cases.</summary>
public sealed class GeometryModels
{
    public GeometryModels()
    {
        Data = RegressionCsv(60);
        Map = Fit("map");
        Ensemble = Fit("ensemble");
    }

    public string Data { get; }

    public string Map { get; }

    public string Ensemble { get; }

    private string Fit(string method)
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), method);
        var result = Run(["fit", "--data", Data, "--target", "y", "--method", method, "--epochs", "5", "--hidden", "6", "--test-fraction", "0", "--out", dir]);
        Assert.True(result.Code == 0, result.Err);
        return dir;
    }
}

/// <summary><c>occam geometry</c>: a run that writes its report, and bad input refused on one line (exit 2, no stack trace, earlier output untouched).</summary>
public sealed class GeometryFaultTests(GeometryModels models) : IClassFixture<GeometryModels>
{
    private static string[] Quick => ["--top", "5", "--probes", "2", "--steps", "12", "--trace-samples", "4"];

    [Fact]
    public void Geometry_WritesTopEigenvaluesTraceDensityAndNeff()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "geometry");
        var result = Run(["geometry", "--model", models.Map, "--data", models.Data, "--target", "y", .. Quick, "--out", dir]);
        Assert.True(result.Code == 0, result.Err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var curvatures = json.RootElement.GetProperty("curvatures");
        Assert.Equal(2, curvatures.GetArrayLength());
        Assert.Equal("GGN", curvatures[0].GetProperty("curvature").GetString());
        Assert.Equal(5, curvatures[0].GetProperty("top_eigenvalues").GetArrayLength());
        Assert.True(curvatures[0].GetProperty("effective_dimension").GetDouble() > 0);
        Assert.Equal(1.0, json.RootElement.GetProperty("alpha").GetDouble()); // the model's prior precision
        Assert.True(new FileInfo(Path.Combine(dir, "spectral-density.png")).Length > 1000);
        Assert.Contains("N_eff", File.ReadAllText(Path.Combine(dir, "results.md")));
    }

    [Theory]
    [InlineData("--alpha", "0", "--alpha", "positive")]
    [InlineData("--alpha", "-2", "--alpha", "positive")]
    [InlineData("--top", "100000", "--top", "weights")]
    [InlineData("--curvature", "fisher", "--curvature", "ggn")]
    [InlineData("--rows", "0", "--rows", "at least 1")]
    public void BadOptions_AreOneLine_AndKeepThePreviousOutput(string flag, string value, string named, string expected)
    {
        var (previous, snapshot) = PreviousOutput();
        var args = new List<string> { "geometry", "--model", models.Map, "--data", models.Data, "--target", "y" };
        args.AddRange(Quick.Where((_, i) => Quick[i - i % 2] != flag));
        args.AddRange([flag, value, "--out", previous]);
        AssertRefused(Run([.. args]), CliApp.BadInput, named, expected);
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void NonFiniteCurvature_IsOneLine()
    {
        var lines = File.ReadAllLines(models.Data).ToList();
        lines[1] = "1e30,red,1.0,0.5"; // finite in the file, overflows the float32 network
        var data = Write(string.Join("\n", lines) + "\n");
        var (previous, snapshot) = PreviousOutput();
        AssertRefused(Run(["geometry", "--model", models.Map, "--data", data, "--target", "y", .. Quick, "--out", previous]), CliApp.BadInput, "not finite");
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void AnEnsemble_HasNoSingleWeightVector()
    {
        var (previous, snapshot) = PreviousOutput();
        AssertRefused(Run(["geometry", "--model", models.Ensemble, "--data", models.Data, "--target", "y", .. Quick, "--out", previous]), CliApp.BadInput, "--model", "several weight vectors");
        AssertUnchanged(previous, snapshot);
    }
}
