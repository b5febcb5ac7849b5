using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Inference.Variational;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

/// <summary>
/// Tempered posteriors, p_T ∝ exp(log p(θ|D)/T): Laplace's covariance is T·(s·H + λI)⁻¹ (against the inverse of
/// its own dense curvature, taken here) and its function-space covariance T times the Bayes one; IVON's
/// resolved ess and weight decay temper the prior with the likelihood; T = 1 reproduces the untempered fits.
/// </summary>
public sealed class TemperatureTests
{
    private const double NoiseSd = 0.5;

    private static Dataset Data()
    {
        var g = new Generator(5);
        var x = randn(new long[] { 30, 2 }, ScalarType.Float64, generator: g);
        var y = (x[.., 0].sin() + 0.3 * x[.., 1] + 0.1 * randn(new long[] { 30 }, ScalarType.Float64, generator: g)).unsqueeze(1);
        return new Dataset(x.to_type(ScalarType.Float32), y.to_type(ScalarType.Float32), TaskKind.Regression);
    }

    private static LaplacePosterior FitLaplace(Dataset data, HessianStructure structure, double? temperature)
    {
        var net = new Mlp(2, [4], 1, Activation.Tanh, seed: 2);
        net.to(ScalarType.Float64);
        var options = new LaplaceOptions { Subset = WeightSubset.All, Structure = structure, Tuning = PriorTuning.None };
        if (temperature is { } t) options = options with { Temperature = t };
        return new LaplaceMethod(new ModelSetup { Prior = new GaussianPrior(1.0) }, options)
            .FitToNetwork(net, new GaussianLikelihood(NoiseSd, learnNoise: false), data);
    }

    private static double MaxRelativeError(Tensor expected, Tensor actual) =>
        (expected - actual).abs().max().item<double>() / expected.abs().max().item<double>();

    [Theory]
    [InlineData(HessianStructure.Full)]
    [InlineData(HessianStructure.Kron)]
    public void Laplace_TemperedCovariance_IsTTimesTheInverseOfTheCurvature(HessianStructure structure)
    {
        const double t = 0.2;
        using var scope = NewDisposeScope();
        using var data = Data();
        using var bayes = FitLaplace(data, structure, null);
        using var cold = FitLaplace(data, structure, t);
        var h = bayes.CurvatureMatrix().to_type(ScalarType.Float64);
        var expected = t * linalg.inv(h / (NoiseSd * NoiseSd) + eye(h.shape[0], dtype: ScalarType.Float64));
        Assert.True(MaxRelativeError(expected, cold.Covariance()) < 1e-9, "Σ_T differs from T·(H/σ² + λI)⁻¹");
        var x = randn(new long[] { 6, 2 }, ScalarType.Float64, generator: new Generator(9));
        Assert.True(MaxRelativeError(t * bayes.FunctionCovariance(x), cold.FunctionCovariance(x)) < 1e-9, "J Σ_T Jᵀ differs from T·J Σ Jᵀ");
        Assert.True(bayes.Mean().allclose(cold.Mean()), "the mode moved with the temperature");
    }

    [Fact]
    public void Laplace_AtTemperatureOne_ReproducesTheUntemperedPredictive()
    {
        using var scope = NewDisposeScope();
        using var data = Data();
        using var bayes = FitLaplace(data, HessianStructure.Kron, null);
        using var one = FitLaplace(data, HessianStructure.Kron, 1.0);
        using var p0 = bayes.Predict(data.Inputs);
        using var p1 = one.Predict(data.Inputs);
        Assert.Equal(0.0, (p0.Mean - p1.Mean).abs().max().item<double>());
        Assert.Equal(0.0, (p0.Variance - p1.Variance).abs().max().item<double>());
    }

    [Fact]
    public void Ivon_TemperatureSetsEssToNOverT_AndTempersThePrior()
    {
        const long n = 200;
        var setup = new ModelSetup { Prior = new GaussianPrior(2.0) };
        var bayes = new IvonMethod(setup).Resolve(n);
        Assert.Equal(n, bayes.EffectiveSampleSize);
        Assert.Equal(2.0 / n, bayes.WeightDecay!.Value, 15);
        var cold = new IvonMethod(setup, new IvonOptions { Temperature = 0.1 }).Resolve(n);
        Assert.Equal(n / 0.1, cold.EffectiveSampleSize!.Value, 9);
        // IVON's target exp(−ess·(mean NLL + δ‖θ‖²/2)): likelihood weight N/T and prior precision ess·δ = λ/T.
        Assert.Equal(2.0 / 0.1, cold.EffectiveSampleSize!.Value * cold.WeightDecay!.Value, 9);
        Assert.Equal(1.0, cold.Temperature);
        var both = Assert.Throws<ArgumentException>(() => new IvonMethod(setup, new IvonOptions { Temperature = 0.5, EffectiveSampleSize = 10 }));
        Assert.Equal("Temperature", both.ParamName);
    }
}
