using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Variational;
using Occam.Models;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using Occam.Posteriors.Weights;
using Occam.Priors;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Variational;

public sealed class BayesByBackpropMethodTests
{
    private static ModelSetup Setup(NetworkSpec? network = null, int epochs = 20) => new()
    {
        Network = network ?? new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = epochs, BatchSize = 16, LearningRate = 1e-2 },
    };

    private static readonly VariationalOptions Quick = new() { InitialSd = 0.05, Samples = 16 };

    [Fact]
    public void Fit_Regression_GivesEpistemicVarianceAndRoundTripsThroughTheStore()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = new BayesByBackpropMethod(Setup(), Quick with { TrainingSamples = 2 }).Fit(train, new FitContext(Seed: 1));
        var gaussian = Assert.IsType<DiagonalGaussianWeights>(Assert.IsType<WeightPosterior>(posterior).Distribution);
        Assert.Equal("vi", posterior.Method);
        Assert.Equal(16, gaussian.DefaultSamples);
        using var x = linspace(-2, 2, 9).unsqueeze(1);
        using var p = posterior.Predict(x);
        using var epistemic = p.Epistemic;
        Assert.True(epistemic.min().item<double>() > 0, "the model average over weight samples must disagree");

        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir);
        using var q = loaded.Predict(x);
        using var y = SyntheticData.GapFunction(x);
        using var lp = p.LogDensity(y);
        using var lq = q.LogDensity(y);
        Assert.Equal("vi", loaded.Method);
        Assert.True(lp.allclose(lq, 1e-6, 1e-6));
    }

    [Fact]
    public void Fit_Classification_GivesMutualInformationAndRoundTripsThroughTheStore()
    {
        using var train = SyntheticData.TwoMoons(64, seed: 2);
        using var posterior = new BayesByBackpropMethod(Setup(), Quick).Fit(train, new FitContext(Seed: 1));
        using var p = posterior.Predict(train.Inputs);
        using var information = p.MutualInformation();
        using var probabilities = p.Probabilities;
        Assert.True(information.mean().item<double>() > 0);
        Assert.True(probabilities.sum(1).allclose(ones(64, ScalarType.Float64), 1e-9, 1e-9));

        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir);
        using var q = loaded.Predict(train.Inputs);
        using var lp = p.LogDensity(train.Targets);
        using var lq = q.LogDensity(train.Targets);
        Assert.True(lp.allclose(lq, 1e-6, 1e-6));
    }

    [Fact]
    public void Fit_LeNet5_TrainsFlipoutConvolutionsAndPredictsThroughThePlainNetwork()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(4);
        var labels = randint(0, 3, new long[] { 12 }, generator: g);
        var images = randn(new long[] { 12, 1, 28, 28 }, generator: g) * 0.3f + labels.to_type(ScalarType.Float32).view(12, 1, 1, 1);
        using var train = new Dataset(images, labels, TaskKind.Classification, 3);
        var setup = Setup(new LeNetSpec(), epochs: 2) with { Standardise = false };
        using var posterior = new BayesByBackpropMethod(setup, Quick with { Samples = 3 }).Fit(train, new FitContext(Seed: 1));
        var weights = Assert.IsType<WeightPosterior>(posterior);
        Assert.IsType<DiagonalGaussianWeights>(weights.Distribution);
        Assert.IsType<LeNet5>(weights.Network);
        using var p = posterior.Predict(train.Inputs);
        Assert.Equal(3, p.MemberCount);
        Assert.True(p.MutualInformation().mean().item<double>() > 0);
    }

    [Fact]
    public void Fit_FromMap_TrainsTheMapFirstThenTheVariationalPosterior()
    {
        using var train = SyntheticData.GapRegression(32, seed: 2);
        var stages = new List<string>();
        var context = new FitContext(Seed: 1, Progress: new Recorder(stages));
        using var posterior = new BayesByBackpropMethod(Setup(epochs: 3), Quick with { InitialiseFromMap = true }).Fit(train, context);
        Assert.Equal(["vi: map", "vi: map", "vi: map", "vi", "vi", "vi"], stages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_UnsupportedNetwork_RefusesBeforeTraining_NamingTheLayer(bool fromMap)
    {
        var custom = new CustomSpec((shape, outputs, _) => nn.Sequential(nn.Linear(shape[0], 8), nn.BatchNorm1d(8), nn.Linear(8, outputs)));
        using var train = SyntheticData.GapRegression(32, seed: 2);
        var stages = new List<string>();
        var method = new BayesByBackpropMethod(Setup(custom), Quick with { InitialiseFromMap = fromMap });
        var e = Assert.Throws<NotSupportedException>(() => method.Fit(train, new FitContext(Progress: new Recorder(stages))));
        Assert.Contains("BatchNorm1d", e.Message);
        Assert.Empty(stages);
    }

    [Fact]
    public void Options_AreValidatedWithClearMessages()
    {
        var setup = Setup();
        Assert.Equal("TrainingSamples", Assert.Throws<ArgumentException>(() => new BayesByBackpropMethod(setup, new VariationalOptions { TrainingSamples = 0 })).ParamName);
        Assert.Equal("InitialSd", Assert.Throws<ArgumentException>(() => new BayesByBackpropMethod(setup, new VariationalOptions { InitialSd = 0 })).ParamName);
        Assert.Equal("InitialSd", Assert.Throws<ArgumentException>(() => new BayesByBackpropMethod(setup, new VariationalOptions { InitialSd = double.NaN })).ParamName);
        Assert.Equal("Samples", Assert.Throws<ArgumentException>(() => new BayesByBackpropMethod(setup, new VariationalOptions { Samples = 0 })).ParamName);
        var flat = Assert.Throws<ArgumentException>(() => new BayesByBackpropMethod(setup with { Prior = new GaussianPrior(0) }));
        Assert.Contains("proper Gaussian prior", flat.Message);
    }

    [Fact]
    public void Registry_BindsTheMethodsOptionsByTheirNames()
    {
        var entry = MethodRegistry.Default.Find("vi")!;
        var options = Assert.IsType<VariationalOptions>(entry.Bind(new Dictionary<string, string> { ["vi-samples"] = "3", ["samples"] = "8" }));
        var method = Assert.IsType<BayesByBackpropMethod>(entry.Create(Setup(), options));
        Assert.Equal("vi", method.Name);
        Assert.Equal(3, method.Options.TrainingSamples);
        Assert.Equal(8, method.Options.Samples);
        Assert.Equal("vi-samples", Assert.Throws<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { ["vi-samples"] = "0" })).ParamName);
    }

    private sealed class Recorder(List<string> stages) : IProgress<RunReport>
    {
        public void Report(RunReport value)
        {
            if (value.Loss is not null) stages.Add(value.Stage);
        }
    }
}
