using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Priors;

/// <summary>
/// Per-block Gaussian overrides: the log density against the closed form, the fast gradient against
/// autograd (one network and stacked members), and the MAP of a linear regression with an informative
/// prior on the output bias against the closed-form Bayesian linear regression posterior mean.
/// </summary>
public sealed class InformativeGaussianPriorTests
{
    private static readonly MlpLayout Layout = new(3, [2]);

    private static InformativeGaussianPrior Prior() => new(0.5, Layout, [new GaussianOverride("output-bias", 2.0, 0.04), new GaussianOverride("b1", -1.0, 4.0)]);

    private static double LogNormal(double x, double mean, double variance) => -0.5 * Math.Log(2 * Math.PI * variance) - (x - mean) * (x - mean) / (2 * variance);

    [Fact]
    public void Layout_NamesTheBlocks_AndInfersTheOutputs()
    {
        var blocks = Layout.Resolve(3 * 2 + 2 + 2 * 4 + 4);
        Assert.Equal(new[] { 3, 2, 4 }, blocks.Widths);
        Assert.Equal(new WeightBlock(0, 6), blocks.Block("w1"));
        Assert.Equal(new WeightBlock(6, 2), blocks.Block("b1"));
        Assert.Equal(new WeightBlock(16, 4), blocks.Block("output-bias"));
        Assert.Throws<ArgumentException>(() => blocks.Block("b3"));
        Assert.Throws<ArgumentException>(() => Layout.Resolve(13));
    }

    [Fact]
    public void LogDensity_EqualsClosedForm()
    {
        double[] theta = [0.1, -0.4, 0.3, 0.9, -1.2, 0.05, -0.7, -1.5, 0.6, -0.2, 1.9];  // w1 [3×2], b1 [2], w2 [2×1], b2 [1]
        double expected = 0;
        for (int i = 0; i < theta.Length; i++)
            expected += i is 6 or 7 ? LogNormal(theta[i], -1.0, 4.0) : i == 10 ? LogNormal(theta[i], 2.0, 0.04) : LogNormal(theta[i], 0, 1 / 0.5);
        using var t = tensor(theta);
        using var logp = Prior().LogDensity(t);
        Assert.Equal(expected, logp.item<double>(), 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FastGradient_EqualsMinusAutograd(int members)
    {
        using var net = new Mlp(3, [2], 1, members: members, seed: 3);
        var space = WeightSpace.Of(net);
        var prior = Prior();
        foreach (var p in space.Parameters) p.grad = zeros_like(p);
        prior.AddNegativeLogDensityGradient(space, 0.5);
        using var fast = net.Weights.grad!.clone();
        for (int k = 0; k < members; k++)
        {
            using var theta = net.Weights.detach()[k].to_type(ScalarType.Float64).requires_grad_();
            using var logp = prior.LogDensity(theta);
            logp.backward();
            using var expected = (-0.5 * theta.grad!).to_type(ScalarType.Float32);
            Assert.True(fast[k].allclose(expected, 1e-5, 1e-6), $"member {k}");
        }
    }

    [Fact]
    public void Map_WithInformativeBias_EqualsBayesianLinearRegressionMean()
    {
        // y = Xw + c + ε, σ = 0.5, N = 20: prior w ~ N(0, 1/λ), c ~ N(3, 0.01). The posterior mean
        // (AᵀA/σ² + Λ)⁻¹(Aᵀy/σ² + Λm), A = [X, 1], is the MAP.
        const int n = 20, d = 3;
        const double sd = 0.5, lambda = 2.0;
        var g = new Generator(8);
        using var x = randn(new long[] { n, d }, generator: g);
        using var y = x.matmul(tensor(new float[] { 0.5f, -1f, 0.2f }).view(d, 1)) + 1.0f + (float)sd * randn(new long[] { n, 1 }, generator: g);
        var prior = new InformativeGaussianPrior(lambda, new MlpLayout(d, []), [new GaussianOverride("output-bias", 3.0, 0.01)]);

        using var a = cat(new[] { x, ones(n, 1) }, 1).to_type(ScalarType.Float64);
        using var precision = diag(tensor(new[] { lambda, lambda, lambda, 100.0 }));
        using var priorMean = tensor(new[] { 0, 0, 0, 3.0 }).view(-1, 1);
        using var lhs = a.T.matmul(a) / (sd * sd) + precision;
        using var rhs = a.T.matmul(y.to_type(ScalarType.Float64)) / (sd * sd) + precision.matmul(priorMean);
        var exact = linalg.solve(lhs, rhs).reshape(-1).data<double>().ToArray();

        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        using var net = new Mlp(d, [], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(sd, learnNoise: false);
        MapTraining.Train(net, likelihood, data, prior,
            new TrainerOptions { Epochs = 3000, BatchSize = n, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine }, new FitContext(Seed: 1));
        var map = net.Weights.detach().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        Assert.True(exact[3] > 2.0); // the informative prior, not the data (c = 1), sets the bias
        for (int i = 0; i < map.Length; i++) Assert.True(Math.Abs(map[i] - exact[i]) < 2e-3, $"coordinate {i}: MAP {map[i]:G6} vs exact {exact[i]:G6}");
    }
}
