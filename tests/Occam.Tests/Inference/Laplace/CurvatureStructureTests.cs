using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class CurvatureStructureTests
{
    private static LaplacePosterior Fit(Mlp net, Likelihood likelihood, Dataset data, WeightSubset subset, HessianStructure structure,
        CurvatureKind curvature = CurvatureKind.Ggn) =>
        new LaplaceMethod(new ModelSetup { Prior = new GaussianPrior(1.0) },
            new LaplaceOptions { Subset = subset, Structure = structure, Curvature = curvature, Tuning = PriorTuning.None })
            .FitToNetwork(net, likelihood, data);

    private static Mlp Network(int inputs, int[] hidden, int outputs, long seed)
    {
        var net = new Mlp(inputs, hidden, outputs, Activation.Tanh, seed: seed);
        net.to(ScalarType.Float64);
        return net;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double error = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        double size = expected.to_type(ScalarType.Float64).abs().max().item<double>();
        Assert.True(error <= 1e-9 * size + 1e-12, $"{what}: max abs error {error:E2} (scale {size:E2})");
    }

    private static Dataset Moons(int n) => SyntheticData.TwoMoons(n, seed: 3);

    [Fact]
    public void Kfac_EqualsFullGgn_ForOneDataPoint_MultiClassLastLayer()
    {
        using var scope = NewDisposeScope();
        using var one = Moons(8).Subset([3]);
        using var full = Fit(Network(2, [6], 2, 1), new CategoricalLikelihood(), one, WeightSubset.LastLayer, HessianStructure.Full);
        using var kron = Fit(Network(2, [6], 2, 1), new CategoricalLikelihood(), one, WeightSubset.LastLayer, HessianStructure.Kron);
        AssertClose(full.CurvatureMatrix(), kron.CurvatureMatrix(), "curvature");
    }

    [Fact]
    public void Kfac_BlocksEqualFullGgnBlocks_ForOneDataPoint_AllLayers()
    {
        using var scope = NewDisposeScope();
        using var one = Moons(8).Subset([5]);
        using var full = Fit(Network(2, [4], 2, 2), new CategoricalLikelihood(), one, WeightSubset.All, HessianStructure.Full);
        using var kron = Fit(Network(2, [4], 2, 2), new CategoricalLikelihood(), one, WeightSubset.All, HessianStructure.Kron);
        var f = full.CurvatureMatrix();
        var k = kron.CurvatureMatrix();
        long first = 3 * 4; // layer 0: [2 + 1, 4]
        AssertClose(f.narrow(0, 0, first).narrow(1, 0, first), k.narrow(0, 0, first).narrow(1, 0, first), "curvature");
        AssertClose(f.narrow(0, first, 10).narrow(1, first, 10), k.narrow(0, first, 10).narrow(1, first, 10), "curvature");
        Assert.Equal(0.0, k.narrow(0, 0, first).narrow(1, first, 10).abs().max().item<double>());
    }

    [Theory]
    [InlineData(CurvatureKind.Ggn)]
    [InlineData(CurvatureKind.EmpiricalFisher)]
    public void Diagonal_EqualsDiagonalOfFull(CurvatureKind curvature)
    {
        using var scope = NewDisposeScope();
        using var data = Moons(30);
        using var full = Fit(Network(2, [5], 2, 3), new CategoricalLikelihood(), data, WeightSubset.All, HessianStructure.Full, curvature);
        using var diag = Fit(Network(2, [5], 2, 3), new CategoricalLikelihood(), data, WeightSubset.All, HessianStructure.Diagonal, curvature);
        AssertClose(full.CurvatureMatrix().diagonal(), diag.CurvatureMatrix().diagonal(), "curvature");
    }

    [Fact]
    public void FullGgnAndEmpiricalFisher_EqualAutogradPerExampleComputation()
    {
        // Independent truth: per-example Jacobians and gradients by autograd through the module itself.
        using var scope = NewDisposeScope();
        using var data = Moons(12);
        var net = Network(2, [4], 2, 7);
        var likelihood = new CategoricalLikelihood();
        var jacobians = new List<Tensor>();
        var gradients = new List<Tensor>();
        for (int n = 0; n < 12; n++)
        {
            var x = data.Inputs.narrow(0, n, 1).to_type(ScalarType.Float64);
            var rows = new List<Tensor>();
            for (int o = 0; o < 2; o++)
            {
                net.zero_grad();
                net.forward(x)[0, o].backward();
                rows.Add(net.Weights.grad!.reshape(-1).clone());
            }
            jacobians.Add(stack(rows));
            net.zero_grad();
            likelihood.NegativeLogLikelihood(net.forward(x), data.Targets.narrow(0, n, 1)).sum().backward();
            gradients.Add(net.Weights.grad!.reshape(-1).clone());
        }
        var j = stack(jacobians); // [N, O, P]
        using (no_grad())
        {
            var lambda = likelihood.OutputHessian(net.forward(data.Inputs.to_type(ScalarType.Float64)));
            var ggn = (j.transpose(1, 2).bmm(lambda).bmm(j)).sum(0L);
            var g = stack(gradients);
            var ef = g.t().matmul(g);
            using var full = Fit(net, likelihood, data, WeightSubset.All, HessianStructure.Full);
            AssertClose(ggn, full.CurvatureMatrix(), "GGN differs from autograd");
            using var fisher = Fit(Network(2, [4], 2, 7), new CategoricalLikelihood(), data, WeightSubset.All, HessianStructure.Full, CurvatureKind.EmpiricalFisher);
            AssertClose(ef, fisher.CurvatureMatrix(), "empirical Fisher differs from autograd");
        }
    }

    [Theory]
    [InlineData(HessianStructure.Kron)]
    [InlineData(HessianStructure.Diagonal)]
    [InlineData(HessianStructure.Full)]
    [InlineData(HessianStructure.LowRank)]
    public void FunctionCovariance_EqualsJacobianTimesDenseCovariance(HessianStructure structure)
    {
        // J by autograd through the module; Σ from the structure's own dense covariance.
        using var scope = NewDisposeScope();
        using var data = Moons(25);
        using var posterior = Fit(Network(2, [5], 3, 8), new CategoricalLikelihood(), data, WeightSubset.All, structure);
        var net = Network(2, [5], 3, 8);
        var x = randn(new long[] { 4, 2 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var rows = new List<Tensor>();
        for (int n = 0; n < 4; n++)
            for (int o = 0; o < 3; o++)
            {
                net.zero_grad();
                net.forward(x.narrow(0, n, 1))[0, o].backward();
                rows.Add(net.Weights.grad!.reshape(-1).clone());
            }
        var j = stack(rows).view(4, 3, -1);
        var expected = j.matmul(posterior.Covariance()).matmul(j.transpose(1, 2));
        AssertClose(expected, posterior.FunctionCovariance(x), $"{structure} J Σ Jᵀ");
    }

    [Fact]
    public void UnsupportedRequests_FailBeforeHeavyWork_WithClearMessages()
    {
        var setup = new ModelSetup();
        Assert.Throws<ArgumentException>(() => new LaplaceMethod(setup, new LaplaceOptions { Subset = WeightSubset.Subnetwork, Structure = HessianStructure.Kron }));
        using var data = Moons(20);
        var small = new LaplaceMethod(setup, new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Full, MaxFullParameters = 10 });
        var e = Assert.Throws<ArgumentException>(() => small.FitToNetwork(Network(2, [5], 2, 1), new CategoricalLikelihood(), data));
        Assert.Contains("limit", e.Message);
        // Refused before any training: the spec cannot support the subset, or the full Hessian is too large (LeNet5 has 61,706 weights).
        var lenetFull = new LaplaceMethod(new ModelSetup { Network = new LeNetSpec() }, new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Full });
        using var images = new Dataset(zeros(4, 1, 28, 28), tensor(new long[] { 0, 1, 2, 3 }), TaskKind.Classification, 10);
        var progress = new RecordingProgress();
        var context = new FitContext(Progress: progress);
        Assert.Contains("61706 weights", Assert.Throws<ArgumentException>(() => lenetFull.Fit(images, context)).Message);
        var customAll = new LaplaceMethod(new ModelSetup { Network = new CustomSpec((_, outputs, _) => nn.Sequential(nn.Flatten(), nn.Linear(784, 8), nn.LayerNorm(8), nn.Linear(8, outputs))) },
            new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Kron });
        Assert.Contains("'2' is a LayerNorm", Assert.Throws<NotSupportedException>(() => customAll.Fit(images, context)).Message);
        var bigFull = new LaplaceMethod(new ModelSetup { Network = new MlpSpec([3000]) }, new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Full });
        var tooBig = Assert.Throws<ArgumentException>(() => bigFull.Fit(data, context));
        Assert.Contains("kron, diag or lowrank structure", tooBig.Message);
        Assert.Empty(progress.Seen); // refused before any training step
        var custom = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 2));
        var all = new LaplaceMethod(setup, new LaplaceOptions { Subset = WeightSubset.All, Structure = HessianStructure.Diagonal });
        Assert.Contains("BatchNorm1d", Assert.Throws<NotSupportedException>(() => all.FitToNetwork(custom, new CategoricalLikelihood(), data)).Message);
    }
}
