using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.Laplace;
using Occam.Inference.Variational;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

/// <summary>The baseline every posterior method must meet; a new method adds one line to <see cref="Methods"/>.</summary>
public sealed class PosteriorContractTests
{
    private static ModelSetup Setup(NetworkSpec? network = null) => new()
    {
        Network = network ?? new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = 5, BatchSize = 16, LearningRate = 1e-2 },
    };

    private static NetworkSpec CustomWithDropout() => new CustomSpec(
        (shape, outputs, seed) => nn.Sequential(nn.Linear(shape[0], 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, outputs)),
        "sequential with dropout", ContainsDropout: true);

    public static TheoryData<string> Methods => new()
    {
        "map", "ensemble", "ensemble-sequential", "mc-dropout", "mc-dropout-custom", "map-custom",
        "laplace", "laplace-all-full", "laplace-all-diag", "laplace-all-lowrank", "laplace-subnet", "laplace-sampled", "laplace-mc-link",
        "ivon", "ivon-mean", "ivon-custom", "vi",
    };

    private static IPosteriorMethod Create(string name) => name switch
    {
        "map" => new MapMethod(Setup()),
        "ensemble" => new EnsembleMethod(Setup(), 3),
        "ensemble-sequential" => new EnsembleMethod(Setup(CustomWithDropout()), 3),
        "mc-dropout" => new McDropoutMethod(Setup(), 0.1, 20),
        "mc-dropout-custom" => new McDropoutMethod(Setup(CustomWithDropout()), 0.1, 20),
        "map-custom" => new MapMethod(Setup(CustomWithDropout())),
        "laplace" => new LaplaceMethod(Setup()),
        "laplace-all-full" => new LaplaceMethod(Setup(), new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Full }),
        "laplace-all-diag" => new LaplaceMethod(Setup(), new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Diagonal, Curvature = CurvatureKind.EmpiricalFisher }),
        "laplace-all-lowrank" => new LaplaceMethod(Setup(), new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.LowRank, Rank = 5 }),
        "laplace-subnet" => new LaplaceMethod(Setup(), new LaplaceOptions { Subset = WeightSubset.Subnetwork, Structure = HessianStructure.Full, SubnetworkSize = 10, Tuning = PriorTuning.Validation }),
        "laplace-sampled" => new LaplaceMethod(Setup(), new LaplaceOptions { Prediction = LaplacePrediction.Sampled, Samples = 20, PerLayerPrior = true }),
        "laplace-mc-link" => new LaplaceMethod(Setup(), new LaplaceOptions { Link = ClassificationLink.MonteCarlo, Samples = 20 }),
        "ivon" => new IvonMethod(Setup(), new IvonOptions { McSamples = 2 }, samples: 16),
        "ivon-mean" => new IvonMethod(Setup(), prediction: GaussianPrediction.Mean),
        "ivon-custom" => new IvonMethod(Setup(CustomWithDropout()), samples: 8),
        "vi" => new BayesByBackpropMethod(Setup(), new VariationalOptions { InitialSd = 0.05, PredictionSamples = 16 }),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Methods))]
    public void Regression_PredictsShapesAndPositiveVariance(string name)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 1));
        using var x = linspace(-2, 2, 9).unsqueeze(1);
        using var p = posterior.Predict(x);
        using var mean = p.Mean;
        using var variance = p.Variance;
        Assert.Equal(new long[] { 9, 1 }, mean.shape);
        Assert.True(variance.min().item<double>() > 0);
        Assert.True(mean.isfinite().all().item<bool>());
    }

    [Theory, MemberData(nameof(Methods))]
    public void Classification_ProbabilitiesSumToOne(string name)
    {
        using var train = SyntheticData.TwoMoons(64, seed: 2);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 1));
        using var p = posterior.Predict(train.Inputs);
        using var probs = p.Probabilities;
        using var sums = probs.sum(1);
        Assert.Equal(new long[] { 64, 2 }, probs.shape);
        Assert.True(sums.allclose(ones_like(sums), 1e-9, 1e-9));
    }

    [Theory, MemberData(nameof(Methods))]
    public void SameSeed_GivesIdenticalPredictions(string name)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var a = Create(name).Fit(train, new FitContext(Seed: 7));
        using var b = Create(name).Fit(train, new FitContext(Seed: 7));
        using var x = linspace(-2, 2, 5).unsqueeze(1);
        using var pa = a.Predict(x);
        using var pb = b.Predict(x);
        using var ma = pa.Mean;
        using var mb = pb.Mean;
        using var va = pa.Variance;
        using var vb = pb.Variance;
        Assert.True(ma.allclose(mb, 0, 0) && va.allclose(vb, 0, 0));
    }

    [Theory, MemberData(nameof(Methods))]
    public void Predict_LeavesNoLiveTensors(string name)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 1));
        using var x = linspace(-2, 2, 5).unsqueeze(1);
        posterior.Predict(x).Dispose(); // warm-up (lazy allocations)
        long before = LiveTensors.Count;
        posterior.Predict(x).Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Theory]
    [InlineData("map")]
    [InlineData("ensemble")]
    [InlineData("mc-dropout")]
    [InlineData("laplace")]
    [InlineData("laplace-all-full")]
    [InlineData("laplace-all-diag")]
    [InlineData("laplace-all-lowrank")]
    [InlineData("laplace-subnet")]
    [InlineData("vi")]
    [InlineData("ivon")]
    public void SaveLoad_RoundTripsPredictions(string name)
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 1));
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir);
        using var x = linspace(-2, 2, 5).unsqueeze(1);
        using var p = posterior.Predict(x);
        using var q = loaded.Predict(x);
        using var y = tensor(new float[] { 0, 1, 0, -1, 0 }).view(5, 1);
        using var lp = p.LogDensity(y);
        using var lq = q.LogDensity(y);
        Assert.Equal(posterior.Method, loaded.Method);
        Assert.True(lp.allclose(lq, 1e-6, 1e-6));
    }

    [Fact]
    public void Save_CustomModule_SaysWhatToDoInstead()
    {
        using var train = SyntheticData.GapRegression(32, seed: 2);
        using var posterior = Create("map-custom").Fit(train);
        var e = Assert.Throws<NotSupportedException>(() => posterior.Save(TestPaths.NewTempDirectory()));
        Assert.Contains("state_dict", e.Message);
    }

    [Fact]
    public void Predict_RejectsWrongInputShape()
    {
        using var train = SyntheticData.GapRegression(32, seed: 2);
        using var posterior = Create("map").Fit(train);
        using var bad = zeros(4, 3);
        Assert.Throws<ArgumentException>(() => posterior.Predict(bad));
    }

    [Fact]
    public void McDropout_RefusesNetworkWithoutDropout()
    {
        var custom = new CustomSpec((s, o, _) => nn.Sequential(nn.Linear(s[0], 4), nn.Linear(4, o)));
        Assert.Throws<ArgumentException>(() => new McDropoutMethod(Setup(custom)));
    }
}
