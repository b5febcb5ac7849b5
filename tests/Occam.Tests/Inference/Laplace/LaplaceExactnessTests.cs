using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

/// <summary>
/// Where Laplace is exact — a linear model with a Gaussian likelihood, or the last layer on a fixed
/// feature map — it must reproduce closed-form Bayesian linear regression.
/// </summary>
public sealed class LaplaceExactnessTests
{
    private const double Noise = 0.3, Prior = 2.0;

    private static (Tensor X, Tensor Y) Data(int n = 40, int d = 3, long seed = 5)
    {
        var g = new Generator((ulong)seed);
        var x = randn(new long[] { n, d }, generator: g);
        var w = tensor(new float[] { 1.0f, -0.5f, 2.0f, 0.7f }[..d]).view(d, 1);
        var y = x.matmul(w) + 0.4f + (float)Noise * randn(new long[] { n, 1 }, generator: g);
        return (x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }

    private static LaplacePosterior FitLinear(Tensor x, Tensor y, Tensor theta, HessianStructure structure, PriorTuning tuning = PriorTuning.None, double prior = Prior)
    {
        var net = new Mlp((int)x.shape[1], [], 1, seed: 1);
        net.to(ScalarType.Float64);
        using (no_grad()) net.Weights.copy_(theta.view(1, -1));
        var method = new LaplaceMethod(new ModelSetup { Prior = new GaussianPrior(prior) },
            new LaplaceOptions { Subset = WeightSubset.All, Structure = structure, Tuning = tuning, TuneNoise = false });
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        return method.FitToNetwork(net, new GaussianLikelihood(Noise, learnNoise: false), data);
    }

    private static void AssertRelative(Tensor expected, Tensor actual, double tolerance, string what)
    {
        double error = (expected - actual).abs().max().item<double>() / expected.abs().max().item<double>();
        Assert.True(error < tolerance, $"{what}: relative error {error:E2}");
    }

    [Fact]
    public void FullLaplace_OnLinearGaussian_EqualsBayesianLinearRegression()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var blr = new BayesianLinearRegression(x, y, Prior, Noise);
        using var posterior = FitLinear(x, y, blr.Mean, HessianStructure.Full);
        AssertRelative(blr.Mean, posterior.Mean(), 1e-12, "mean");
        AssertRelative(blr.Covariance, posterior.Covariance(), 1e-6, "covariance");
        var xs = randn(new long[] { 7, 3 }, generator: new Generator(9));
        var functionVariance = posterior.FunctionCovariance(xs).reshape(-1);
        AssertRelative(blr.FunctionVariance(xs), functionVariance, 1e-6, "function variance");
        using var predictive = posterior.Predict(xs);
        AssertRelative(blr.FunctionVariance(xs) + Noise * Noise, predictive.Variance.reshape(-1), 1e-6, "predictive variance");
        double expected = blr.LogEvidence(), actual = posterior.Evidence.LogMarginalLikelihood;
        Assert.True(Math.Abs(expected - actual) < 1e-6 * Math.Abs(expected), $"log evidence {actual} vs closed form {expected}");
    }

    [Theory]
    [InlineData(HessianStructure.Kron)]
    [InlineData(HessianStructure.LowRank)]
    public void OneLayerLinearModel_KronAndFullRankLowRank_AreExactToo(HessianStructure structure)
    {
        // With one output the GGN of a linear layer is ΦᵀΦ ⊗ [1]: KFAC's A ⊗ B with B = 1 is exact for any N.
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var blr = new BayesianLinearRegression(x, y, Prior, Noise);
        using var posterior = FitLinear(x, y, blr.Mean, structure);
        AssertRelative(blr.Covariance, posterior.Covariance(), 1e-6, $"{structure} covariance");
        double expected = blr.LogEvidence(), actual = posterior.Evidence.LogMarginalLikelihood;
        Assert.True(Math.Abs(expected - actual) < 1e-6 * Math.Abs(expected), $"{structure} log evidence {actual} vs {expected}");
    }

    [Fact]
    public void EvidenceTunedPrior_EqualsClosedFormOptimum()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(n: 30);
        double optimum = BayesianLinearRegression.OptimalPrior(x, y, Noise);
        using var blr = new BayesianLinearRegression(x, y, optimum, Noise);
        // Around the posterior mean at the optimum, evidence tuning from another start must return the optimum.
        using var posterior = FitLinear(x, y, blr.Mean, HessianStructure.Full, PriorTuning.Evidence, prior: 1.0);
        double tuned = posterior.PriorPrecision[0];
        Assert.True(Math.Abs(tuned - optimum) < 1e-8 * optimum, $"tuned {tuned} vs closed-form optimum {optimum}");
    }

    [Fact]
    public void LastLayerLaplace_OnFixedFeatures_EqualsBayesianLinearRegressionOnTheFeatures()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        var net = new Mlp(3, [8], 1, Activation.Tanh, seed: 4);
        net.to(ScalarType.Float64);
        var features = net.Features(x.to_type(ScalarType.Float64));
        using var blr = new BayesianLinearRegression(features, y, Prior, Noise);
        using (no_grad()) net.Weights.select(0, 0).narrow(0, net.LayerOffset(1), 9).copy_(blr.Mean); // W [8, 1] then b [1]
        var method = new LaplaceMethod(new ModelSetup { Prior = new GaussianPrior(Prior) },
            new LaplaceOptions { Subset = WeightSubset.LastLayer, Structure = HessianStructure.Full, Tuning = PriorTuning.None });
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        using var posterior = method.FitToNetwork(net, new GaussianLikelihood(Noise, learnNoise: false), data);
        AssertRelative(blr.Covariance, posterior.Covariance(), 1e-6, "last-layer covariance");
        var xs = randn(new long[] { 5, 3 }, generator: new Generator(2));
        var phi = net.Features(xs.to_type(ScalarType.Float64));
        AssertRelative(blr.FunctionVariance(phi), posterior.FunctionCovariance(xs).reshape(-1), 1e-6, "last-layer function variance");
        Assert.True(Math.Abs(blr.LogEvidence() - posterior.Evidence.LogMarginalLikelihood) < 1e-6 * Math.Abs(blr.LogEvidence()));
    }
}
