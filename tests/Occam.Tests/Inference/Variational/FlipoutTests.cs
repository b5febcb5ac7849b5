using Occam.Inference.Variational;
using TorchSharp;
using static TorchSharp.torch;
using Occam.Core;

namespace Occam.Tests.Inference.Variational;

public sealed class FlipoutTests
{
    private const int Batches = 800, Rows = 16;

    /// <summary>Outputs [Batches, Rows, out, H, W] of one image repeated Rows times, over Batches independent calls.</summary>
    private static (Tensor Draws, Tensor ExpectedMean, Tensor ExpectedVariance) Sample()
    {
        var g = new Generator(8);
        var x = randn(new long[] { 1, 8, 5, 5 }, generator: g);
        var weightMean = randn(new long[] { 3, 8, 3, 3 }, generator: g) * 0.5;
        var weightSd = rand(new long[] { 3, 8, 3, 3 }, generator: g) * 0.4 + 0.1;
        var biasMean = tensor(new float[] { 0.1f, -0.3f, 0.2f });
        var biasSd = tensor(new float[] { 0.2f, 0.05f, 0.3f });
        using var seed = new Occam.Core.RandomSeed(9);
        var batch = x.expand(Rows, -1, -1, -1);
        var draws = stack(Enumerable.Range(0, Batches).Select(_ => Flipout.Conv2d(batch, weightMean, weightSd, biasMean, biasSd, padding: 1)).ToArray());
        var expectedMean = nn.functional.conv2d(x, weightMean, biasMean, padding: [1, 1])[0];
        var expectedVariance = nn.functional.conv2d(x.square(), weightSd.square(), biasSd.square(), padding: [1, 1])[0];
        return (draws.to_type(ScalarType.Float64), expectedMean.to_type(ScalarType.Float64), expectedVariance.to_type(ScalarType.Float64));
    }

    [Fact]
    public void Conv2d_OutputsHaveTheMomentsOfGaussianWeights()
    {
        // Every example sees weights distributed as q: mean conv(x, μ_W) + μ_b, variance conv(x², σ_W²) + σ_b².
        using var scope = NewDisposeScope();
        var (draws, expectedMean, expectedVariance) = Sample();
        // Moments per call (rows of one call share ΔW), then the spread of the per-call estimates gives honest standard errors.
        var callMeans = draws.mean(new long[] { 1 });
        var callVariances = (draws - expectedMean).square().mean(new long[] { 1 });
        var mean = callMeans.mean(new long[] { 0 });
        var variance = callVariances.mean(new long[] { 0 });
        var meanError = ((mean - expectedMean).abs() / (callMeans.std(0L) / Math.Sqrt(Batches))).max().item<double>();
        var varianceStandardError = callVariances.std(0L) / Math.Sqrt(Batches);
        var varianceError = ((variance - expectedVariance).abs() / varianceStandardError).max().item<double>();
        Assert.True(meanError < 5, $"mean off by {meanError:F2} standard errors");
        Assert.True(varianceError < 5, $"variance off by {varianceError:F2} standard errors");
        var relativeStandardError = (varianceStandardError / expectedVariance).max().item<double>();
        Assert.True(relativeStandardError < 0.03, $"too few draws to see a 15 % error in the variance (relative standard error {relativeStandardError:P1})");
    }

    [Fact]
    public void Conv2d_DecorrelatesExamplesThatShareThePerturbation()
    {
        // Without the sign flips two copies of one image would get identical noise (correlation 1).
        using var scope = NewDisposeScope();
        var (draws, expectedMean, _) = Sample();
        var noise = draws - expectedMean;
        var first = noise[.., 0].reshape(Batches, -1);
        var second = noise[.., 1].reshape(Batches, -1);
        var correlation = (first * second).mean(new long[] { 0 }) / (first.square().mean(new long[] { 0 }) * second.square().mean(new long[] { 0 })).sqrt();
        Assert.True(correlation.abs().max().item<double>() < 5 / Math.Sqrt(Batches), $"max |correlation| {correlation.abs().max().item<double>():F3}");
    }
}
