using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using static TorchSharp.torch;
using Occam.Core;

namespace Occam.Tests.Training;

public sealed class MapTrainingTests
{
    [Fact]
    public void LinearGaussian_MapEqualsClosedFormRidgeSolution()
    {
        // Truth not from our code: the mode of N(w | 0, λ⁻¹I) · Π N(yᵢ | xᵢᵀw + b, σ²) is
        // w* = (ΦᵀΦ/σ² + λI)⁻¹ Φᵀy/σ² with Φ = [X, 1] (the prior covers the bias too).
        const double sigma = 0.5, lambda = 3.0;
        var g = new Generator(4);
        using var x = randn(new long[] { 50, 3 }, generator: g);
        using var y = x.matmul(tensor(new float[] { 1, -2, 0.5f }).view(3, 1)) + 0.3f + 0.5f * randn(new long[] { 50, 1 }, generator: g);
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        using var net = new Mlp(3, [], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(sigma, learnNoise: false);
        MapTraining.Train(net, likelihood, data, new GaussianPrior(lambda),
            new TrainerOptions { Epochs = 3000, BatchSize = 50, LearningRate = 0.02 }, new FitContext(Seed: 1));

        using var phi = cat(new[] { x, ones(50, 1) }, 1).to_type(ScalarType.Float64);
        using var precision = phi.T.matmul(phi) / (sigma * sigma) + lambda * eye(4, dtype: ScalarType.Float64);
        using var expected = linalg.solve(precision, phi.T.matmul(y.to_type(ScalarType.Float64)) / (sigma * sigma)).reshape(-1);
        using var actual = net.Weights.detach().reshape(-1).to_type(ScalarType.Float64);
        Assert.True(actual.allclose(expected, 1e-3, 1e-3), $"MAP {actual.ToString(TorchSharp.TensorStringStyle.Julia)} vs closed form {expected.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    [Fact]
    public void WeightDecay_IsPriorPrecisionOverN()
    {
        Assert.Equal(0.01, new GaussianPrior(5).WeightDecay(500), 15);
        Assert.Equal(5, GaussianPrior.FromWeightDecay(0.01, 500).Precision, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianPrior(-1));
    }

    [Fact]
    public void ExplodingLearningRate_ThrowsDivergedInsteadOfReturningNaN()
    {
        using var data = SyntheticData.GapRegression(64, seed: 1);
        using var net = new Mlp(1, [16], 1, seed: 1);
        using var likelihood = new GaussianLikelihood();
        var e = Assert.Throws<TrainingDivergedException>(() => MapTraining.Train(net, likelihood, data, new GaussianPrior(1),
            new TrainerOptions { Epochs = 50, Optimizer = OptimizerKind.Sgd, LearningRate = 1e6 }, new FitContext()));
        Assert.Contains("learning rate", e.Message);
    }

    [Fact]
    public void SameSeed_SameWeights_DifferentSeed_DifferentWeights()
    {
        using var data = SyntheticData.TwoMoons(64, seed: 1);
        Tensor Train(long seed)
        {
            using var net = new Mlp(2, [8], 2, dropout: 0.2, seed: 1);
            using var lik = new CategoricalLikelihood();
            MapTraining.Train(net, lik, data, new GaussianPrior(1), new TrainerOptions { Epochs = 3, BatchSize = 8 }, new FitContext(seed));
            return net.Weights.detach().clone();
        }
        using var a = Train(3);
        using var b = Train(3);
        using var c = Train(4);
        Assert.True(a.allclose(b, 0, 0));
        Assert.False(a.allclose(c, 0, 0));
    }

    [Fact]
    public void Options_AreValidatedWithTheOptionName()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainerOptions { BatchSize = 0 }.Validate());
        Assert.Contains("Batch size", e.Message);
        Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRate = double.NaN }.Validate());
    }

    [Fact]
    public void LearnedNoise_ApproachesTrueNoise()
    {
        // y = 0.3 + ε, ε ~ N(0, 0.2²): a bias-only fit learns σ ≈ sample sd of y.
        var g = new Generator(9);
        using var x = zeros(400, 1);
        using var y = 0.3f + 0.2f * randn(new long[] { 400, 1 }, generator: g);
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        using var net = new Mlp(1, [], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(1.0, learnNoise: true);
        MapTraining.Train(net, likelihood, data, new GaussianPrior(0), new TrainerOptions { Epochs = 400, BatchSize = 400, LearningRate = 0.02 }, new FitContext());
        double sampleSd = y.std(unbiased: false).item<float>();
        Assert.Equal(sampleSd, likelihood.NoiseSd[0], 2);
    }
}
