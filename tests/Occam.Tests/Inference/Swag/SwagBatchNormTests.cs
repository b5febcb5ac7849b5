using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Swag;
using Occam.Models;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using Occam.Posteriors.Weights;
using Occam.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>
/// Batch normalisation through the SWAG family with user modules built from TorchSharp layers only: the
/// statistics re-estimated for a weight vector equal the subset's batch statistics computed by hand, every
/// sample gets its own, and fits with BatchNorm1d and BatchNorm2d predict and survive save and load.
/// </summary>
public sealed class SwagBatchNormTests
{
    private static readonly CustomSpec Dense = new((shape, outputs, _) => nn.Sequential(
        ("fc1", nn.Linear(shape[0], 12)), ("bn", nn.BatchNorm1d(12)), ("relu", nn.ReLU()), ("fc2", nn.Linear(12, outputs))), "MLP with BatchNorm1d");

    private static readonly CustomSpec Convolutional = new((shape, outputs, _) => nn.Sequential(
        ("conv", nn.Conv2d(1, 4, 3, padding: 1)), ("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
        ("flat", nn.Flatten()), ("fc", nn.Linear(4 * 4 * 4, outputs))), "CNN with BatchNorm2d");

    private static ModelSetup Setup(NetworkSpec network) => new()
    {
        Network = network,
        Training = new TrainerOptions { Epochs = 4, BatchSize = 16, LearningRate = 1e-2 },
    };

    [Fact]
    public void Refresh_SetsTheRunningStatisticsToTheSubsetsStatistics_AtTheGivenWeights()
    {
        using var scope = NewDisposeScope();
        var network = Dense.Create([2], 1, 1, 3);
        var inputs = randn(new long[] { 40, 2 }, generator: new Generator(1));
        using var refresh = new BatchNormRefresh(inputs.clone(), batchSize: 64); // one batch: exact statistics
        network.eval();
        refresh.Refresh(network);
        var bn = (BatchNorm1d)network.named_modules().First(m => m.name == "bn").module;
        var fc1 = (Linear)network.named_modules().First(m => m.name == "fc1").module;
        var hidden = fc1.call(inputs).detach();
        Assert.True(bn.running_mean!.allclose(hidden.mean(new long[] { 0 }), 1e-5, 1e-6));
        Assert.True(bn.running_var!.allclose(hidden.var(new long[] { 0 }), 1e-4, 1e-6)); // unbiased, as PyTorch keeps it
        Assert.False(bn.training, "the layer's mode is restored");

        // in batches of 16, 16 and 8 the statistics are the batch-size-weighted average of the batch statistics
        using var batched = new BatchNormRefresh(inputs.clone(), batchSize: 16);
        batched.Refresh(network);
        var parts = new[] { (0, 16), (16, 16), (32, 8) }.Select(p => hidden.narrow(0, p.Item1, p.Item2)).ToArray();
        var mean = parts.Select(p => p.mean(new long[] { 0 }) * p.shape[0]).Aggregate((a, b) => a + b) / 40;
        var variance = parts.Select(p => p.var(new long[] { 0 }) * p.shape[0]).Aggregate((a, b) => a + b) / 40;
        Assert.True(bn.running_mean!.allclose(mean, 1e-5, 1e-6));
        Assert.True(bn.running_var!.allclose(variance, 1e-4, 1e-6));
    }

    [Fact]
    public void SwagWithBatchNorm1d_GivesEachSampleItsOwnStatistics_AndRoundTripsThroughSaveAndLoad()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = (WeightPosterior)new SwagMethod(Setup(Dense), new SwagOptions { Samples = 6, BatchNormExamples = 48 }).Fit(train, new FitContext(Seed: 4));
        var weights = Assert.IsType<LowRankGaussianWeights>(posterior.Distribution);
        Assert.NotNull(weights.BatchNorm);

        using var scope = NewDisposeScope();
        var bn = (BatchNorm1d)posterior.Network.named_modules().First(m => m.name == "bn").module;
        var before = bn.running_mean!.clone();
        using (var draws = weights.Draw(posterior.Weights, new DrawRequest(3, false, 5, new Generator(5))))
        {
            var x = linspace(-2, 2, 5).unsqueeze(1);
            var outputs = draws.Outputs(x);
            Assert.Equal(new long[] { 3, 5, 1 }, outputs.shape);
            // each sample's output equals running the network at that sample with statistics refreshed by hand
            var thetas = weights.Sample(3, new Generator(5));
            var stored = weights.BatchNorm!;
            for (int s = 0; s < 3; s++)
            {
                using var swap = posterior.Weights.At(thetas[s].to_type(ScalarType.Float32));
                using var saved = new BufferCopy(posterior.Network);
                stored.Refresh(posterior.Network);
                Assert.True(posterior.Network.call(x).allclose(outputs[s], 1e-5, 1e-6), $"sample {s}");
            }
        }
        Assert.True(bn.running_mean!.allclose(before, 0, 0), "the network's own statistics are restored");

        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir, new LoadContext(Dense));
        using var x2 = linspace(-2, 2, 9).unsqueeze(1);
        using var p = posterior.Predict(x2);
        using var q = loaded.Predict(x2);
        Assert.True(p.Mean.allclose(q.Mean, 1e-5, 1e-6) && p.Variance.allclose(q.Variance, 1e-5, 1e-6));
    }

    [Theory]
    [InlineData("swag")]
    [InlineData("multiswag")]
    [InlineData("subspace")]
    public void BatchNorm2dNetwork_FitsPredictsAndRoundTrips(string method)
    {
        using var train = Images(48, 1);
        IPosteriorMethod m = method switch
        {
            "swag" => new SwagMethod(Setup(Convolutional), new SwagOptions { Samples = 4 }),
            "multiswag" => new MultiSwagMethod(Setup(Convolutional), new MultiSwagOptions { Members = 2, Samples = 4 }),
            _ => new SubspaceMethod(Setup(Convolutional), new SubspaceOptions { Samples = 4, SubspaceBurnIn = 2 }),
        };
        using var posterior = m.Fit(train, new FitContext(Seed: 2));
        using var p = posterior.Predict(train.Inputs);
        using var sums = p.Probabilities.sum(1);
        Assert.True(sums.allclose(ones_like(sums), 1e-6, 1e-6));
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir, new LoadContext(Convolutional));
        using var q = loaded.Predict(train.Inputs);
        using var lp = p.LogDensity(train.Targets);
        using var lq = q.LogDensity(train.Targets);
        Assert.True(lp.allclose(lq, 1e-5, 1e-6), $"{method}: predictions change through save and load");
    }

    private static Dataset Images(int n, long seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var labels = randint(0, 3, new long[] { n }, generator: g);
        var images = randn(new long[] { n, 1, 8, 8 }, generator: g) * 0.5f + labels.to_type(ScalarType.Float32).view(n, 1, 1, 1);
        return new Dataset(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), TaskKind.Classification, 3);
    }

    private sealed class BufferCopy : IDisposable
    {
        private readonly Tensor[] _live;
        private readonly Tensor[] _copies;

        public BufferCopy(nn.Module module)
        {
            _live = module.buffers().ToArray();
            _copies = _live.Select(b => b.clone()).ToArray();
        }

        public void Dispose()
        {
            using var noGrad = no_grad();
            for (int i = 0; i < _live.Length; i++) _live[i].copy_(_copies[i]);
        }
    }
}
