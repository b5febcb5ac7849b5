using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Models;
using Occam.Training;

namespace Occam.Tests.Inference.Sampling;

/// <summary>Bad sampler input fails with one clear error naming the option, before any work.</summary>
public sealed class SamplerOptionsTests
{
    private static ModelSetup Setup => new() { Network = new MlpSpec([8]), Training = new TrainerOptions { Epochs = 4, BatchSize = 16 } };

    public static TheoryData<string, string, string> Bad => new()
    {
        { "sgld", "step-size", "0" },
        { "sgld", "step-size", "-0.1" },
        { "psgld", "step-size", "0" },
        { "csgld", "step-size", "-1" },
        { "sghmc", "sghmc-lr", "0" },
        { "sgld", "temperature", "0" },
        { "hmc", "temperature", "-1" },
        { "sghmc", "momentum", "1" },
        { "csghmc", "momentum", "-0.1" },
        { "sghmc", "noise-estimate", "0.2" },
        { "sgld", "thin", "0" },
        { "hmc", "thin", "0" },
        { "sgld", "chains", "0" },
        { "sgld", "max-samples", "2" },
        { "psgld", "rmsprop-decay", "1" },
        { "hmc", "target-acceptance", "1" },
        { "hmc", "hmc-step-size", "0" },
        { "hmc", "hmc-iterations", "0" },
        { "csgld", "exploration", "1" },
        { "csgld", "samples-per-cycle", "0" },
        { "sgld", "sampler-epochs", "0" },
    };

    [Theory, MemberData(nameof(Bad))]
    public void BadOption_IsRefusedWhenBound_NamingIt(string method, string option, string value)
    {
        var entry = MethodRegistry.Default.Find(method)!;
        var e = Assert.Throws<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { [option] = value }));
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void MoreSamplesThanMemory_IsRefusedBeforeAnyWork()
    {
        using var data = SyntheticData.GapRegression(32, seed: 1);
        var method = new HmcMethod(Setup, new HmcOptions { Iterations = 1_000_000_000, Thin = 1, MaxSamples = int.MaxValue, Chains = 2 });
        var progress = new RecordingProgress();
        var e = Assert.Throws<ArgumentException>(() => method.Fit(data, new FitContext(Progress: progress)));
        Assert.Equal(nameof(SamplerOptions.MaxSamples), e.ParamName);
        Assert.Contains("memory", e.Message);
        Assert.Empty(progress.Seen); // nothing ran, not even the MAP start
    }

    [Fact]
    public void SampleBudget_ComparesWithHalfTheMemory()
    {
        SampleBudget.Check(1000, 1000, availableBytes: 8_000_000); // 4 MB of 8 MB: fits
        Assert.Throws<ArgumentException>(() => SampleBudget.Check(1001, 1000, availableBytes: 8_000_000));
    }

    [Fact]
    public void ExplicitThinning_ThatKeepsTooMany_IsRefused_DefaultThinningFitsTheCap()
    {
        var explicitThin = new SgldMethod(Setup, new SgldOptions { Thin = 1, MaxSamples = 8, Chains = 4, Epochs = 10, BurnIn = 0 });
        var e = Assert.Throws<ArgumentException>(() => explicitThin.Plan(64));
        Assert.Equal(nameof(SamplerOptions.MaxSamples), e.ParamName);
        var plan = new SgldMethod(Setup, new SgldOptions { MaxSamples = 8, Chains = 4, Epochs = 10, BurnIn = 0 }).Plan(64);
        Assert.Equal(2, plan.KeptPerChain); // 40 steps, thinned to 20: two per chain
    }

    [Fact]
    public void BurnInAsLongAsTheRun_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SgldMethod(Setup, new SgldOptions { BurnIn = 4 }).Plan(64));
        Assert.Equal(nameof(StochasticGradientOptions.BurnIn), e.ParamName);
    }

    [Fact]
    public void CyclicalPlan_KeepsTheLastStatesOfEachCycle_AndExploresFirst()
    {
        // 4 epochs × 4 steps = 16 steps, 2 cycles of 8; β = 0.5: steps 4..7 and 12..15 sample; keep 2 per cycle, 2 apart
        var method = new CsgldMethod(Setup, new CsgldOptions { Cycles = 2, Exploration = 0.5, SamplesPerCycle = 2, Thin = 2, Chains = 1 });
        var plan = method.Plan(64);
        Assert.Equal(4, plan.KeptPerChain);
        Assert.Equal([5L, 7, 13, 15], Enumerable.Range(0, 16).Select(i => (long)i).Where(plan.Keep!).ToArray());
        Assert.Equal((8L, 4L), method.Cycle(16));
        var tooMany = new CsgldMethod(Setup, new CsgldOptions { Cycles = 2, Exploration = 0.5, SamplesPerCycle = 3, Thin = 2, Chains = 1 });
        Assert.Equal(nameof(SamplerOptions.Thin), Assert.Throws<ArgumentException>(() => tooMany.Plan(64)).ParamName);
    }

    [Fact]
    public void PolynomialSchedule_StartsAtTheStepSize_AndDecaysAsAPowerLaw()
    {
        var schedule = StepSchedules.Create(StepSchedule.Polynomial, offset: 10, exponent: 0.5, cycles: 1);
        Assert.Equal(1.0, schedule.Factor(0, 100), 12);
        Assert.Equal(Math.Sqrt(10.0 / 40), schedule.Factor(30, 100), 12); // a(b + k)^−γ / a b^−γ
        var cyclical = StepSchedules.Create(StepSchedule.Cyclical, 1, 1, cycles: 2);
        Assert.Equal(1.0, cyclical.Factor(50, 100), 12); // a new cycle restarts at the peak
    }
}
