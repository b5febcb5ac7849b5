using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;
using Occam.Core;
using Occam.Inference.Map;

namespace Occam.Tests.Inference.Laplace;

public sealed class LaplaceBehaviourTests
{
    private static readonly ModelSetup Setup = new()
    {
        Network = new MlpSpec([32, 32]),
        Training = new TrainerOptions { Epochs = 60, LearningRate = 1e-2 },
    };

    [Theory]
    [InlineData(WeightSubset.LastLayer, HessianStructure.Kron)]
    [InlineData(WeightSubset.All, HessianStructure.Kron)]
    [InlineData(WeightSubset.All, HessianStructure.Diagonal)]
    public void FarFromData_LaplaceIsLessConfidentThanMap_AtTheSamePrediction(WeightSubset subset, HessianStructure structure)
    {
        using var train = SyntheticData.TwoMoons(200, seed: 1);
        using var map = new MapMethod(Setup).Fit(train, new FitContext(Seed: 2));
        using var laplace = new LaplaceMethod(Setup, new LaplaceOptions { Subset = subset, Structure = structure }).Fit(train, new FitContext(Seed: 2));
        using var far = tensor(new float[] { 6, 6, -6, 5, 5, -6 }).view(3, 2);
        using var pm = map.Predict(far);
        using var pl = laplace.Predict(far);
        using var hm = pm.Entropy();
        using var hl = pl.Entropy();
        Assert.True(hl.mean().item<double>() > hm.mean().item<double>() + 0.05, $"entropy far away: laplace {hl.mean().item<double>():F3} vs map {hm.mean().item<double>():F3}");
        using var am = pm.Probabilities.argmax(1);
        using var al = pl.Probabilities.argmax(1);
        Assert.True(am.eq(al).all().item<bool>(), "the probit link keeps the MAP decision");
    }

    [Fact]
    public void Evidence_PartsAddUp_AndOccamFactorIsNegative()
    {
        using var train = SyntheticData.GapRegression(80, seed: 1);
        using var posterior = (LaplacePosterior)new LaplaceMethod(Setup, new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Kron }).Fit(train);
        var e = posterior.Evidence;
        Assert.Equal(e.DataFit + e.OccamFactor, e.LogMarginalLikelihood, 9);
        Assert.True(e.OccamFactor < 0);
        Assert.True(e.NoiseSd > 0);
        Assert.Equal(FlatParametersCount(), e.Parameters);

        static long FlatParametersCount() => 1 * 32 + 32 + 32 * 32 + 32 + 32 * 1 + 1;
    }

    [Fact]
    public void EvidenceTuning_DoesNotLowerTheEvidence()
    {
        using var train = SyntheticData.GapRegression(80, seed: 1);
        var untuned = new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Full, Tuning = PriorTuning.None };
        using var before = (LaplacePosterior)new LaplaceMethod(Setup, untuned).Fit(train, new FitContext(Seed: 4));
        using var after = (LaplacePosterior)new LaplaceMethod(Setup, untuned with { Tuning = PriorTuning.Evidence, PerLayerPrior = true }).Fit(train, new FitContext(Seed: 4));
        Assert.True(after.Evidence.LogMarginalLikelihood >= before.Evidence.LogMarginalLikelihood - 1e-9);
        Assert.Equal(3, after.PriorPrecision.Length);
    }
}
