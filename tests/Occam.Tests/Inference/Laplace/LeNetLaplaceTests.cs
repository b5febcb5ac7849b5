using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.LeNetJacobian;
using static TorchSharp.torch;
using Occam.Core;
using Occam.Posteriors.Storage;

namespace Occam.Tests.Inference.Laplace;

public sealed class LeNetLaplaceTests
{
    [Fact]
    public void Kfac_ConvolutionWithOneOutputPosition_EqualsTheExactGgnBlocks_ForOneExample()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        // conv(3, 5×5) over a 2×5×5 image has T = 1 output position; then ReLU → fc 5 → ReLU → fc 3.
        var parameters = new[] { randn(new long[] { 3, 2, 5, 5 }, ScalarType.Float64, generator: g) * 0.3, randn(3, ScalarType.Float64, generator: g),
            randn(new long[] { 5, 3 }, ScalarType.Float64, generator: g), randn(5, ScalarType.Float64, generator: g),
            randn(new long[] { 3, 5 }, ScalarType.Float64, generator: g), randn(3, ScalarType.Float64, generator: g) };
        foreach (var p in parameters) p.requires_grad_(true);
        var x = randn(new long[] { 1, 2, 5, 5 }, ScalarType.Float32, generator: g).to_type(ScalarType.Float64);
        Tensor Network(Tensor input)
        {
            var h = nn.functional.relu(nn.functional.conv2d(input, parameters[0], parameters[1])).flatten(1);
            h = nn.functional.relu(nn.functional.linear(h, parameters[2], parameters[3]));
            return nn.functional.linear(h, parameters[4], parameters[5]);
        }
        var f = Network(x);
        var rows = Enumerable.Range(0, 3).Select(o =>
        {
            var grads = autograd.grad([f[0, o]], parameters, retain_graph: true);
            return cat(Enumerable.Range(0, 3).Select(l => ConvStack.Block(grads[2 * l], grads[2 * l + 1]).reshape(-1)).ToArray());
        }).ToArray();
        var j = stack(rows); // [O, P]
        var exact = j.t().matmul(CategoricalHessian(f.detach())[0]).matmul(j);

        var blocks = Enumerable.Range(0, 3).Select(l => ConvStack.Block(parameters[2 * l], parameters[2 * l + 1])).ToArray();
        using var convStack = new ConvStack([2, 5, 5], [new ConvGeometry(5, 0, 1)], blocks, ScalarType.Float64);
        using var data = new Dataset(x.to_type(ScalarType.Float32), tensor(new long[] { 1 }), TaskKind.Classification, 3);
        using var kron = new CurvatureBuilder(convStack, new CategoricalLikelihood(), new LaplaceOptions(), null).Build(data, HessianStructure.Kron);
        var dense = kron.ToDense();
        long offset = 0;
        foreach (var size in convStack.LayerSizes)
        {
            var expected = exact.narrow(0, offset, size).narrow(1, offset, size);
            Assert.True(expected.abs().max().item<double>() > 1e-6, "a non-trivial block");
            AssertClose(expected, dense.narrow(0, offset, size).narrow(1, offset, size), 1e-9, $"KFAC block at {offset}");
            offset += size;
        }
    }

    [Theory]
    [InlineData(HessianStructure.Diagonal)]
    [InlineData(HessianStructure.Kron)]
    public void GlmFunctionCovariance_OnLeNet5_EqualsAutogradJacobianThroughTheCurvature(HessianStructure structure)
    {
        using var scope = NewDisposeScope();
        var net = Network(10, seed: 12);
        var x = Images(6, seed: 13);
        using var data = new Dataset(x.to_type(ScalarType.Float32), tensor(new long[] { 0, 1, 2, 3, 4, 5 }), TaskKind.Classification, 10);
        var method = new LaplaceMethod(new ModelSetup { Network = new LeNetSpec(), Prior = new GaussianPrior(2.0) },
            new LaplaceOptions { Subset = WeightSubset.All, Structure = structure, Tuning = PriorTuning.None });
        using var posterior = method.FitToNetwork(net, new CategoricalLikelihood(), data);
        var queries = Images(3, seed: 14);
        var j = Autograd(net, queries);
        var curvature = posterior.CurvatureStructure;
        var delta = full(curvature.Size, 2.0, ScalarType.Float64);
        var expected = structure == HessianStructure.Diagonal
            ? (j / (((DiagonalCurvature)curvature).Diagonal + 2.0)).matmul(j.transpose(1, 2)) // J diag(h + δ)⁻¹ Jᵀ
            : curvature.InverseQuadraticForm(j, delta, tensor(1.0, ScalarType.Float64)); // dense-Jacobian path of the same structure
        AssertClose(expected, posterior.FunctionCovariance(queries), 1e-8, $"{structure} J Σ Jᵀ");
        using var predictive = posterior.Predict(queries.to_type(ScalarType.Float32));
        AssertClose(ones(3, ScalarType.Float64), predictive.Probabilities.sum(1), 1e-6, "probabilities sum to one");
    }

    [Theory]
    [InlineData(HessianStructure.Kron, LaplacePrediction.Glm)]
    [InlineData(HessianStructure.Diagonal, LaplacePrediction.Sampled)]
    [InlineData(HessianStructure.LowRank, LaplacePrediction.Glm)]
    public void Fit_LeNet5_AllWeights_TrainsPredictsAndRoundTripsThroughTheStore(HessianStructure structure, LaplacePrediction prediction)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(15);
        var labels = randint(0, 3, new long[] { 64 }, generator: g);
        var images = randn(new long[] { 64, 1, 28, 28 }, generator: g) * 0.5f + labels.to_type(ScalarType.Float32).view(-1, 1, 1, 1);
        using var train = new Dataset(images, labels, TaskKind.Classification, 3);
        var setup = new ModelSetup { Network = new LeNetSpec(), Standardise = false, Training = new TrainerOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-3 } };
        var options = new LaplaceOptions { Subset = WeightSubset.All, Structure = structure, Prediction = prediction, Rank = 2, Samples = 8 };
        using var posterior = (LaplacePosterior)new LaplaceMethod(setup, options).Fit(train, new FitContext(Seed: 3));
        Assert.Equal(61706 - 85 * 10 + 85 * 3, posterior.ParameterCount); // LeNet5 with 3 outputs: fc3 is 85 × 3
        var x = images.narrow(0, 0, 20);
        using var p = posterior.Predict(x);
        AssertClose(ones(20, ScalarType.Float64), p.Probabilities.sum(1), 1e-5, "probabilities sum to one");
        long live = LiveTensors.Count;
        posterior.Predict(x).Dispose();
        Assert.Equal(live, LiveTensors.Count);
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir);
        using var q = loaded.Predict(x);
        AssertClose(p.Probabilities, q.Probabilities, 1e-6, "loaded predictions");
    }

    [Fact]
    public void Subnetwork_Full_OnLeNet5_EqualsTheAutogradGgnOfTheChosenWeights()
    {
        using var scope = NewDisposeScope();
        var net = Network(10, seed: 16);
        var x = Images(5, seed: 17);
        using var data = new Dataset(x.to_type(ScalarType.Float32), tensor(new long[] { 0, 1, 2, 3, 4 }), TaskKind.Classification, 10);
        var method = new LaplaceMethod(new ModelSetup { Network = new LeNetSpec(), Prior = new GaussianPrior(1.0) },
            new LaplaceOptions { Subset = WeightSubset.Subnetwork, Structure = HessianStructure.Full, SubnetworkSize = 40, Tuning = PriorTuning.None });
        using var posterior = method.FitToNetwork(net, new CategoricalLikelihood(), data);
        var j = Autograd(net, x).index_select(2, posterior.SubsetIndices!);
        var expected = j.transpose(1, 2).matmul(CategoricalHessian(net.forward(x).detach())).matmul(j).sum(0L);
        AssertClose(expected, posterior.CurvatureMatrix(), 1e-8, "subnetwork GGN");
        Assert.Equal(40, posterior.ParameterCount);
    }
}
