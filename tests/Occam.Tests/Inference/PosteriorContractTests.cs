using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.GaussianProcesses;
using Occam.Inference.Laplace;
using Occam.Inference.Map;
using Occam.Inference.Variational;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors.Storage;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

/// <summary>
/// The baseline every posterior method must meet. It runs against every method in the registry,
/// with its default options, automatically; a few extra configurations (user modules, other
/// prediction modes) are listed by hand.
/// </summary>
public sealed class PosteriorContractTests
{
    private static ModelSetup Setup(NetworkSpec? network = null) => new()
    {
        Network = network ?? new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = 5, BatchSize = 16, LearningRate = 1e-2 },
    };

    private static readonly CustomSpec CustomWithDropout = new(
        (shape, outputs, seed) => nn.Sequential(nn.Linear(shape[0], 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, outputs)),
        "sequential with dropout", ContainsDropout: true);

    /// <summary>Configurations beyond the registry's defaults: user modules and other prediction modes.</summary>
    private static readonly Dictionary<string, Func<IPosteriorMethod>> Extra = new()
    {
        ["ensemble-custom"] = () => new EnsembleMethod(Setup(CustomWithDropout), new EnsembleOptions { Members = 3 }),
        ["mc-dropout-custom"] = () => new McDropoutMethod(Setup(CustomWithDropout), new McDropoutOptions { Samples = 20 }),
        ["map-custom"] = () => new MapMethod(Setup(CustomWithDropout)),
        ["laplace-custom"] = () => new LaplaceMethod(Setup(CustomWithDropout)),
        ["laplace-all-kron-custom"] = () => new LaplaceMethod(Setup(CustomWithDropout), new LaplaceOptions { Subset = WeightSubset.All }),
        ["laplace-sampled"] = () => new LaplaceMethod(Setup(), new LaplaceOptions { Prediction = LaplacePrediction.Sampled, Samples = 20, PerLayerPrior = true }),
        ["laplace-mc-link"] = () => new LaplaceMethod(Setup(), new LaplaceOptions { Link = LatentLink.MonteCarlo, Samples = 20 }),
        ["laplace-ef-diag"] = () => new LaplaceMethod(Setup(), new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Diagonal, Curvature = CurvatureKind.EmpiricalFisher }),
        ["ivon-custom"] = () => new IvonMethod(Setup(CustomWithDropout), new IvonOptions { Samples = 8, McSamples = 2 }),
        ["dkl-custom"] = () => new DeepKernelMethod(Setup(CustomWithDropout), new DklOptions { Steps = 50 }),
        ["gp-laplace"] = () => new GaussianProcessMethod(Setup(), new GpOptions { BinaryInference = BinaryInference.Laplace }),
    };

    private static IEnumerable<string> Names => MethodRegistry.Default.Names.Concat(Extra.Keys);

    public static TheoryData<string> Methods
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Names) data.Add(name);
            return data;
        }
    }

    private static IPosteriorMethod Create(string name) =>
        Extra.TryGetValue(name, out var create) ? create() : MethodRegistry.Default.Find(name)!.Create(Setup());

    [Fact]
    public void Methods_CoverEveryRegisteredMethod()
    {
        var names = Names.ToHashSet();
        Assert.Superset(MethodRegistry.Default.Names.ToHashSet(), names); // every registered method is in the suite
        Assert.Contains("swa", names);
    }

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

    [Theory, MemberData(nameof(Methods))]
    public void SaveLoad_RoundTripsPredictions(string name)
    {
        using var train = SyntheticData.TwoMoons(64, seed: 2);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 1));
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir, new LoadContext(CustomWithDropout));
        using var p = posterior.Predict(train.Inputs);
        using var q = loaded.Predict(train.Inputs);
        using var lp = p.LogDensity(train.Targets);
        using var lq = q.LogDensity(train.Targets);
        Assert.Equal(posterior.Method, loaded.Method);
        Assert.True(lp.allclose(lq, 1e-6, 1e-6));
    }

    [Fact]
    public void Load_CustomModuleWithoutItsSpec_SaysWhatToPass()
    {
        using var train = SyntheticData.GapRegression(32, seed: 2);
        using var posterior = Create("map-custom").Fit(train);
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        var e = Assert.Throws<ArgumentException>(() => PosteriorStore.Load(dir));
        Assert.Contains("sequential with dropout", e.Message);
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
