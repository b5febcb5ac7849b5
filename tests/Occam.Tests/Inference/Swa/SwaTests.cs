using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Map;
using Occam.Inference.Swa;
using Occam.Models;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swa;

public sealed class SwaTests
{
    private static ModelSetup Setup(int epochs) => new()
    {
        Network = new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = epochs, BatchSize = 16, LearningRate = 1e-2, Optimizer = OptimizerKind.Sgd },
    };

    private static Tensor Weights(IPosterior posterior) => ((WeightSamples)((WeightPosterior)posterior).Distribution).Thetas()[0];

    [Fact]
    public void Average_OfTheLastTwoEpochs_IsTheMeanOfTheMapWeightsAfterThoseEpochs()
    {
        // The same seed replays the same initialisation and shuffles, so MAP after E − 1 and E epochs
        // are the two iterates SWA averages when it starts at epoch E − 2 (0-based) at the training rate.
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var swa = new SwaMethod(Setup(6), new SwaOptions { StartEpoch = 4 }).Fit(train, new FitContext(Seed: 3));
        using var before = new MapMethod(Setup(5)).Fit(train, new FitContext(Seed: 3));
        using var after = new MapMethod(Setup(6)).Fit(train, new FitContext(Seed: 3));
        using var expected = (Weights(before) + Weights(after)) / 2;
        using var actual = Weights(swa);
        Assert.True(actual.allclose(expected, 1e-5, 1e-6));
        Assert.False(actual.allclose(Weights(after), 1e-5, 1e-6));
    }

    [Fact]
    public void StartEpoch_AfterTheLastEpoch_IsRefusedNamingTheOption()
    {
        var e = Assert.Throws<ArgumentException>(() => new SwaMethod(Setup(5), new SwaOptions { StartEpoch = 5 }));
        Assert.Equal("StartEpoch", e.ParamName);
        Assert.Throws<ArgumentException>(() => new SwaMethod(Setup(5), new SwaOptions { SwaLearningRate = 0 }));
    }
}
