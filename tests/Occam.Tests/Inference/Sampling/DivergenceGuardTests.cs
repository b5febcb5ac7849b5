using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Models;
using Occam.Posteriors;
using Occam.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Sampling;

/// <summary>
/// The stochastic-gradient samplers' divergence guard: a step far too large runs off without it and is
/// caught with it; a healthy run is left exactly as the bare kernel leaves it.
/// </summary>
public sealed class DivergenceGuardTests(ITestOutputHelper output)
{
    private static ModelSetup Setup => new() { Network = new MlpSpec([16]), Training = new TrainerOptions { Epochs = 20, BatchSize = 16 } };

    private static SamplerOptions TooLarge(string method, bool unguarded) => method switch
    {
        "sgld" => new SgldOptions { StepSize = 20, Epochs = 10, Chains = 2, Unguarded = unguarded },
        "csgld" => new CsgldOptions { StepSize = 20, Epochs = 10, Chains = 2, Cycles = 2, Unguarded = unguarded },
        "psgld" => new PsgldOptions { StepSize = 20, Epochs = 10, Chains = 2, Unguarded = unguarded },
        _ => new SghmcOptions { LearningRate = 5, Epochs = 10, Chains = 2, Unguarded = unguarded },
    };

    private static SamplerOptions Healthy(string method, bool unguarded) => method switch
    {
        "sgld" => new SgldOptions { Epochs = 10, Chains = 2, Unguarded = unguarded },
        _ => new SghmcOptions { Epochs = 10, Chains = 2, Unguarded = unguarded },
    };

    private static IPosteriorMethod Method(SamplerOptions options) => options switch
    {
        SgldOptions o => new SgldMethod(Setup, o),
        CsgldOptions o => new CsgldMethod(Setup, o),
        PsgldOptions o => new PsgldMethod(Setup, o),
        SghmcOptions o => new SghmcMethod(Setup, o),
        _ => throw new ArgumentException("unknown options", nameof(options)),
    };

    [Theory]
    [InlineData("sgld")]
    [InlineData("csgld")]
    [InlineData("psgld")]
    [InlineData("sghmc")]
    public void TooLargeStep_RunsOffWithoutTheGuard_AndIsCaughtWithIt(string method)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var x = linspace(-2, 2, 9).unsqueeze(1);

        double unguardedWorst;
        try
        {
            using var bare = Method(TooLarge(method, unguarded: true)).Fit(train, new FitContext(Seed: 1));
            using var p = bare.Predict(x);
            using var mean = p.Mean;
            unguardedWorst = mean.isfinite().all().item<bool>() ? mean.abs().max().item<double>() : double.PositiveInfinity;
        }
        catch (TrainingDivergedException)
        {
            unguardedWorst = double.PositiveInfinity; // the runner refused a non-finite epoch loss
        }

        using var guarded = (WeightPosterior)Method(TooLarge(method, unguarded: false)).Fit(train, new FitContext(Seed: 1));
        using var q = guarded.Predict(x);
        using var guardedMean = q.Mean;
        double divergences = ((ChainSamples)guarded.Distribution).Statistics["divergences"];
        double guardedWorst = guardedMean.abs().max().item<double>();
        output.WriteLine($"{method}: worst |mean| without the guard {unguardedWorst}, with it {guardedWorst}; {divergences} divergences");
        Assert.True(unguardedWorst > 1e3, $"without the guard the chains should run off; worst |mean| {unguardedWorst}");
        Assert.True(guardedMean.isfinite().all().item<bool>());
        Assert.True(guardedWorst < 100, $"worst |mean| with the guard {guardedWorst}"); // the targets lie within a few units
        Assert.True(divergences > 0);
    }

    [Theory]
    [InlineData("sgld")]
    [InlineData("sghmc")]
    public void HealthyRun_CountsNoDivergence_AndKeepsTheSameDraws(string method)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var bare = (WeightPosterior)Method(Healthy(method, unguarded: true)).Fit(train, new FitContext(Seed: 4));
        using var guarded = (WeightPosterior)Method(Healthy(method, unguarded: false)).Fit(train, new FitContext(Seed: 4));
        var samples = (ChainSamples)guarded.Distribution;
        Assert.Equal(0, samples.Statistics["divergences"]);
        using var a = ((ChainSamples)bare.Distribution).Thetas();
        using var b = samples.Thetas();
        Assert.True(a.eq(b).all().item<bool>(), "the guard changed a healthy run");
    }
}
