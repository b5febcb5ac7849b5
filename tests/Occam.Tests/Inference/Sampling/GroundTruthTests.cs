using Occam.Core;
using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Posteriors;
using Xunit.Abstractions;

namespace Occam.Tests.Inference.Sampling;

/// <summary>
/// Each sampler's draws on Bayesian linear regression against the closed-form Gaussian posterior, with
/// tolerances from the measured ESS; deliberately broken SGLD updates must fail the same check.
/// </summary>
public sealed class GroundTruthTests(ITestOutputHelper output)
{
    private static readonly LinearRegressionTruth Truth = new();

    private string? Run(IPosteriorMethod method, int chains)
    {
        using var thread = new SingleThread();
        using var posterior = (WeightPosterior)method.Fit(Truth.Data, new FitContext(Seed: 3));
        var samples = (ChainSamples)posterior.Distribution;
        using var thetas = samples.Thetas();
        var (verdict, worst, ess) = Truth.Measure(thetas, chains);
        output.WriteLine(string.Join("; ", Truth.Details));
        output.WriteLine(string.Join(", ", samples.Statistics.Select(kv => $"{kv.Key} {kv.Value:G4}")));
        output.WriteLine($"{method.Name}: {samples.Count} draws, min ESS {ess:F0}, worst error {worst:F2} standard errors; {verdict ?? "matches the closed form"}");
        return verdict;
    }

    private static SgldOptions Sgld => new() { Chains = 16, StepSize = 0.02, Epochs = 2500, BurnIn = 250, Thin = 40, MaxSamples = 4000 };

    [Fact]
    public void Sgld_MatchesTheClosedForm()
    {
        Assert.Null(Run(new SgldMethod(LinearRegressionTruth.Setup(), Sgld), 16));
    }

    [Theory]
    [InlineData("HalfNoiseVariance")]
    [InlineData("NoBatchScaling")]
    [InlineData("MissingHalf")]
    public void BrokenSgld_FailsTheSameCheck(string defect)
    {
        var options = Sgld with { Defect = Enum.Parse<SgldDefect>(defect) };
        Assert.NotNull(Run(new SgldMethod(LinearRegressionTruth.Setup(), options), 16));
    }

    [Fact]
    public void Sghmc_MatchesTheClosedForm()
    {
        var options = new SghmcOptions { Chains = 16, LearningRate = 0.002, Momentum = 0.9, Epochs = 2500, BurnIn = 250, Thin = 40, MaxSamples = 4000 };
        Assert.Null(Run(new SghmcMethod(LinearRegressionTruth.Setup(), options), 16));
    }

    [Fact]
    public void Psgld_MatchesTheClosedForm()
    {
        var options = new PsgldOptions { Chains = 16, StepSize = 0.003, Epochs = 2500, BurnIn = 250, Thin = 40, MaxSamples = 4000 };
        Assert.Null(Run(new PsgldMethod(LinearRegressionTruth.Setup(), options), 16));
    }

    [Fact]
    public void Csgld_MatchesTheClosedForm()
    {
        var options = new CsgldOptions { Chains = 16, StepSize = 0.3, Epochs = 2500, Cycles = 50, Exploration = 0.3, SamplesPerCycle = 4, Thin = 20, MaxSamples = 4000 };
        Assert.Null(Run(new CsgldMethod(LinearRegressionTruth.Setup(), options), 16));
    }

    [Fact]
    public void Csghmc_MatchesTheClosedForm()
    {
        var options = new CsghmcOptions { Chains = 16, LearningRate = 0.02, Momentum = 0.9, NoiseEstimate = 0.03, Epochs = 2500, Cycles = 50, Exploration = 0.3, SamplesPerCycle = 4, Thin = 20, MaxSamples = 4000 };
        Assert.Null(Run(new CsghmcMethod(LinearRegressionTruth.Setup(), options), 16));
    }

    [Fact]
    public void Hmc_MatchesTheClosedForm()
    {
        var options = new HmcOptions { Chains = 4, WarmUp = 150, Iterations = 250, MaxSamples = 4000 };
        Assert.Null(Run(new HmcMethod(LinearRegressionTruth.Setup(), options), 4));
    }
}
