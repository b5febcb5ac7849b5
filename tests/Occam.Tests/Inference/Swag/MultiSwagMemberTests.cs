using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Ensembles;
using Occam.Inference.Swag;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>
/// MultiSWAG members fitted one at a time (<see cref="MultiSwagMethod.FitMember"/>) and combined equal the
/// fit that trains them one after another: the same saved files and the same predictions, each member with
/// its own share of the samples and its own BatchNorm subset.
/// </summary>
public sealed class MultiSwagMemberTests
{
    private static readonly CustomSpec Normalised = new((shape, outputs, _) => nn.Sequential(
        ("fc1", nn.Linear(shape[0], 12)), ("bn", nn.BatchNorm1d(12)), ("relu", nn.ReLU()), ("fc2", nn.Linear(12, outputs))), "MLP with BatchNorm1d");

    private static MultiSwagMethod Method(NetworkSpec network, int members = 3) => new(
        new ModelSetup { Network = network, Training = new TrainerOptions { Epochs = 4, BatchSize = 16, LearningRate = 1e-2 } },
        new MultiSwagOptions { Members = members, Samples = 7, Batched = false });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CombinedMembers_EqualTheMemberByMemberFit(bool batchNorm)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        var method = Method(batchNorm ? Normalised : new MlpSpec([16]));
        var context = new FitContext(Seed: 3);
        using var fitted = (WeightMixturePosterior)method.Fit(train, context);
        var members = Enumerable.Range(0, 3).Select(m => method.FitMember(train, context, m)).ToList();
        try
        {
            Assert.Equal(EnsembleMethod.MemberSeed(3, 1), members[1].Seed);
            using var combined = method.Combine(train, context, members);
            Assert.Equal([3, 2, 2], combined.Members.Select(m => ((LowRankGaussianWeights)m.Distribution).DefaultSamples));
            using (var theta = combined.Weights.Get())
            using (var mean = ((LowRankGaussianWeights)members[0].Members[0].Distribution).Mean())
            using (var asNetwork = mean.to_type(theta.dtype))
                Assert.True(Same(theta, asNetwork), "the network holds member 0's SWA mean");
            var expected = TestPaths.NewTempDirectory();
            var actual = TestPaths.NewTempDirectory();
            fitted.Save(expected);
            combined.Save(actual);
            foreach (var file in Directory.GetFiles(expected))
                Assert.True(File.ReadAllBytes(file).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, Path.GetFileName(file)))), $"{Path.GetFileName(file)} differs");

            using var x = linspace(-2, 2, 9).unsqueeze(1);
            using var p = fitted.Predict(x);
            using var q = combined.Predict(x);
            Assert.True(Same(p.Mean, q.Mean) && Same(p.Variance, q.Variance), "the combined members predict differently");
            if (batchNorm)
            {
                using var first = ((LowRankGaussianWeights)combined.Members[0].Distribution).BatchNorm!.Inputs();
                using var second = ((LowRankGaussianWeights)combined.Members[1].Distribution).BatchNorm!.Inputs();
                Assert.False(Same(first, second), "every member refreshes BatchNorm on its own subset");
            }
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var all = a.eq(b).all();
        return all.item<bool>();
    }

    [Fact]
    public void BadMembers_AreRefusedNamingTheArgument()
    {
        using var train = SyntheticData.GapRegression(32, seed: 2);
        var method = Method(new MlpSpec([8]), members: 2);
        var context = new FitContext(Seed: 1);
        Assert.Equal("member", Assert.Throws<ArgumentOutOfRangeException>(() => method.FitMember(train, context, 2)).ParamName);
        using var member = method.FitMember(train, context, 0);
        Assert.Equal("members", Assert.Throws<ArgumentException>(() => method.Combine(train, context, [member])).ParamName);
        using var wider = Method(new MlpSpec([9]), members: 2).FitMember(train, context, 1);
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => method.Combine(train, context, [member, wider])).Message);
    }
}
