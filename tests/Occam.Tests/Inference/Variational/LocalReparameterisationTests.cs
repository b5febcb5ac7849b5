using Occam.Inference.Variational;
using TorchSharp;
using static TorchSharp.torch;
using Occam.Core;

namespace Occam.Tests.Inference.Variational;

public sealed class LocalReparameterisationTests
{
    [Fact]
    public void Linear_PreActivationsHaveTheMomentsOfGaussianWeights()
    {
        // a·W + b with W ~ N(μ_W, σ_W²), b ~ N(μ_b, σ_b²): mean a·μ_W + μ_b, variance a²·σ_W² + σ_b².
        using var scope = NewDisposeScope();
        const int draws = 40_000;
        var a = tensor(new float[] { 1.5f, -0.5f, 2.0f });
        var weightMean = tensor(new float[] { 0.2f, -1.0f, 0.5f, 0.3f, -0.4f, 0.8f }).view(3, 2);
        var weightVariance = tensor(new float[] { 0.04f, 0.25f, 0.01f, 0.09f, 0.16f, 0.36f }).view(3, 2);
        var biasMean = tensor(new float[] { 0.1f, -0.2f });
        var biasVariance = tensor(new float[] { 0.05f, 0.5f });
        using var seed = new Occam.Core.RandomSeed(5);
        var samples = LocalReparameterisation.Linear(a.expand(draws, 3), weightMean, weightVariance, biasMean, biasVariance).to_type(ScalarType.Float64);

        var expectedMean = (a.matmul(weightMean) + biasMean).to_type(ScalarType.Float64);
        var expectedVariance = (a.square().matmul(weightVariance) + biasVariance).to_type(ScalarType.Float64);
        var mean = samples.mean(new long[] { 0 });
        var variance = samples.var(0L);
        // Standard errors of a Gaussian sample: σ/√n for the mean, σ²·√(2/(n−1)) for the variance.
        var meanError = ((mean - expectedMean).abs() / (expectedVariance / draws).sqrt()).max().item<double>();
        var varianceError = ((variance - expectedVariance).abs() / (expectedVariance * Math.Sqrt(2.0 / (draws - 1)))).max().item<double>();
        Assert.True(meanError < 4, $"mean off by {meanError:F2} standard errors");
        Assert.True(varianceError < 4, $"variance off by {varianceError:F2} standard errors");
    }
}
