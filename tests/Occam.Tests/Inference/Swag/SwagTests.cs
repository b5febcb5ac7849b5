using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>The SWAG methods' plans, bad input (one clear error before any work), and MultiSWAG's members.</summary>
public sealed class SwagTests
{
    private static ModelSetup Setup(int epochs = 6) => new()
    {
        Network = new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = epochs, BatchSize = 16, LearningRate = 1e-2 },
    };

    [Fact]
    public void BadOptions_AreRefusedAtConstruction_NamingTheOption()
    {
        Assert.Equal("MaxRank", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { MaxRank = 0 })).ParamName);
        Assert.Equal("MaxRank", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { MaxRank = 1 })).ParamName);
        Assert.Equal("SwagStartEpoch", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { SwagStartEpoch = 6 })).ParamName);
        Assert.Equal("SwagStartEpoch", Assert.Throws<ArgumentException>(() => new MultiSwagMethod(Setup(), new MultiSwagOptions { SwagStartEpoch = 9 })).ParamName);
        Assert.Equal("SwagStartEpoch", Assert.Throws<ArgumentException>(() => new SubspaceMethod(Setup(), new SubspaceOptions { SwagStartEpoch = 6 })).ParamName);
        Assert.Equal("Scale", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { Scale = 0 })).ParamName);
        Assert.Equal("Scale", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { Scale = -0.5 })).ParamName);
        Assert.Equal("Samples", Assert.Throws<ArgumentException>(() => new MultiSwagMethod(Setup(), new MultiSwagOptions { Members = 5, Samples = 3 })).ParamName);
        Assert.Equal("CycleMinimum", Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { CycleMinimum = 0 })).ParamName);
        Assert.Equal("SubspaceTemperature", Assert.Throws<ArgumentException>(() => new SubspaceMethod(Setup(), new SubspaceOptions { SubspaceTemperature = 0 })).ParamName);
    }

    [Fact]
    public void BadOptions_FromText_NameTheCommandLineOption()
    {
        var entry = MethodRegistry.Default.Find("swag")!;
        Assert.Equal("scale", Assert.Throws<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { ["scale"] = "0" })).ParamName);
        Assert.Equal("max-rank", Assert.Throws<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { ["max-rank"] = "0" })).ParamName);
    }

    [Theory]
    [InlineData("swag")]
    [InlineData("multiswag")]
    [InlineData("subspace")]
    public void RankAboveTheCollections_IsRefusedBeforeAnyTraining(string name)
    {
        // 6 epochs of 4 steps, collection from epoch 3: 12 steps, so 12 collections at most (every step)
        IPosteriorMethod method = name switch
        {
            "swag" => new SwagMethod(Setup(), new SwagOptions { MaxRank = 13 }),
            "multiswag" => new MultiSwagMethod(Setup(), new MultiSwagOptions { MaxRank = 13 }),
            _ => new SubspaceMethod(Setup(), new SubspaceOptions { MaxRank = 13 }),
        };
        using var train = SyntheticData.GapRegression(64, seed: 2);
        var reports = new RecordingProgress();
        var e = Assert.Throws<ArgumentException>(() => method.Fit(train, new FitContext(1, Progress: reports)));
        Assert.Equal("MaxRank", e.ParamName);
        Assert.Contains("12 collection steps", e.Message);
        Assert.Empty(reports.Seen);
    }

    [Fact]
    public void CollectionInterval_LongerThanThePhase_IsRefusedBeforeAnyTraining()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        var reports = new RecordingProgress();
        var e = Assert.Throws<ArgumentException>(() => new SwagMethod(Setup(), new SwagOptions { CollectEvery = 4 }).Fit(train, new FitContext(1, Progress: reports)));
        Assert.Equal("CollectEvery", e.ParamName);
        Assert.Empty(reports.Seen);
    }

    [Fact]
    public void Plan_DefaultsToEveryEpochInLongPhases_AndTwentyEvenCollectionsInShortOnes()
    {
        var swag = new SwagOptions();
        var longRun = CollectionPlan.For(swag, new TrainerOptions { Epochs = 40, BatchSize = 32 }, 320, true, 2); // 10 steps per epoch
        Assert.Equal((20, 20, 10L, 20L, 20), (longRun.StartEpoch, longRun.CollectionEpochs, longRun.Interval, longRun.Collections, longRun.MaxRank));
        var shortRun = CollectionPlan.For(swag, new TrainerOptions { Epochs = 5, BatchSize = 128 }, 60_000, true, 2); // 469 steps per epoch
        Assert.Equal((2, 3, 70L, 20L, 20), (shortRun.StartEpoch, shortRun.CollectionEpochs, shortRun.Interval, shortRun.Collections, shortRun.MaxRank));
        var tiny = CollectionPlan.For(swag, new TrainerOptions { Epochs = 5, BatchSize = 16 }, 64, true, 2); // the contract suite's run
        Assert.Equal((1L, 12L, 12), (tiny.Interval, tiny.Collections, tiny.MaxRank));
        var steps = CollectionPlan.For(swag with { CollectEvery = 3, CollectionUnit = CollectionUnit.Steps, MaxRank = 2 }, new TrainerOptions { Epochs = 4, BatchSize = 16 }, 64, true, 2);
        Assert.Equal((3L, 2L, 2), (steps.Interval, steps.Collections, steps.MaxRank));
        var diagonal = CollectionPlan.For(swag with { Diagonal = true }, new TrainerOptions { Epochs = 40, BatchSize = 32 }, 320, false, 0);
        Assert.Equal(0, diagonal.MaxRank);
    }

    [Fact]
    public void CyclicalSchedule_FallsLinearlyToTheMinimumAtEachCollection()
    {
        var options = new SwagOptions { CollectionSchedule = CollectionSchedule.Cyclical, CycleMinimum = 0.2, CollectEvery = 4, CollectionUnit = CollectionUnit.Steps };
        var plan = CollectionPlan.For(options, new TrainerOptions { Epochs = 4, BatchSize = 16 }, 64, true, 2);
        var schedule = plan.Schedule(options);
        var factors = Enumerable.Range(0, 8).Select(t => schedule.Factor(t, plan.CollectionSteps)).ToArray();
        Assert.Equal([0.8, 0.6, 0.4, 0.2, 0.8, 0.6, 0.4, 0.2], factors.Select(f => Math.Round(f, 12)));
        Assert.Equal(4L, plan.Interval); // the runner collects after steps 4, 8, ...: the cycles' ends
    }

    [Fact]
    public void Swag_MeanIsTheAverageOfTheCollectedIterates_AndSamplesVaryAroundIt()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = (WeightPosterior)new SwagMethod(Setup(), new SwagOptions { Samples = 8 }).Fit(train, new FitContext(Seed: 3));
        var swag = Assert.IsType<LowRankGaussianWeights>(posterior.Distribution);
        Assert.Equal(12, swag.Rank);
        using var scope = NewDisposeScope();
        Assert.True(WeightSpace.Of(posterior.Network).Get().to_type(ScalarType.Float64).allclose(swag.Mean(), 1e-6, 1e-7), "the network holds the SWA mean");
        using var x = linspace(-2, 2, 7).unsqueeze(1);
        using var sampled = posterior.Predict(x);
        using var atMean = posterior.Predict(x, new PredictOptions(AtMean: true));
        Assert.Equal(8, sampled.MemberCount);
        Assert.Equal(1, atMean.MemberCount);
        Assert.True(sampled.Epistemic.min().item<double>() > 0);
    }

    [Fact]
    public void MultiSwag_Batched_KeepsIndependentMembersWithTheirOwnNoise_AndMixesTheirSamples()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = (WeightMixturePosterior)new MultiSwagMethod(Setup(), new MultiSwagOptions { Members = 3, Samples = 9 }).Fit(train, new FitContext(Seed: 3));
        Assert.Equal(3, posterior.Members.Count);
        using var scope = NewDisposeScope();
        var means = posterior.Members.Select(m => ((LowRankGaussianWeights)m.Distribution).Mean()).ToArray();
        Assert.False(means[0].allclose(means[1], 1e-3, 1e-3), "members start from different initialisations");
        var noise = posterior.Members.Select(m => ((GaussianLikelihood)m.Likelihood).NoiseSd[0]).ToArray();
        Assert.Equal(3, noise.Distinct().Count());
        using var x = linspace(-2, 2, 7).unsqueeze(1);
        using var p = posterior.Predict(x);
        Assert.Equal(9, p.MemberCount);
        using var q = posterior.Predict(x, new PredictOptions(Samples: 4));
        Assert.Equal(4, q.MemberCount);
        Assert.Throws<ArgumentException>(() => posterior.Predict(x, new PredictOptions(Samples: 2)));
    }

    [Fact]
    public void MultiSwag_MemberByMember_OnACustomModule()
    {
        var custom = new CustomSpec((s, o, _) => nn.Sequential(nn.Linear(s[0], 8), nn.Tanh(), nn.Linear(8, o)), "tanh MLP");
        using var train = SyntheticData.TwoMoons(64, seed: 2);
        var setup = Setup() with { Network = custom };
        using var posterior = (WeightMixturePosterior)new MultiSwagMethod(setup, new MultiSwagOptions { Members = 2, Samples = 4 }).Fit(train, new FitContext(Seed: 3));
        Assert.Equal(2, posterior.Members.Count);
        using var p = posterior.Predict(train.Inputs);
        using var sums = p.Probabilities.sum(1);
        Assert.True(sums.allclose(ones_like(sums), 1e-9, 1e-9));
    }
}
