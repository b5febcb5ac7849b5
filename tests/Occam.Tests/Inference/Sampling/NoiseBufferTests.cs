using Occam.Inference.Sampling;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Sampling;

/// <summary>The samplers' one-draw noise buffer: shapes, dtypes, independence and the N(0, 1) moments.</summary>
public sealed class NoiseBufferTests
{
    [Fact]
    public void Draw_GivesOneViewPerBlock_ShapedAndTypedLikeIt()
    {
        using var a = zeros(3, 4);
        using var b = zeros(5);
        using var c = zeros(new long[] { 2, 2 }, ScalarType.Float64);
        using var noise = new NoiseBuffer([a, b, c]);
        var xi = noise.Draw(new Generator(1));
        Assert.Equal(3, xi.Count);
        Assert.Equal(a.shape, xi[0].shape);
        Assert.Equal(b.shape, xi[1].shape);
        Assert.Equal(c.shape, xi[2].shape);
        Assert.Equal(ScalarType.Float32, xi[0].dtype);
        Assert.Equal(ScalarType.Float64, xi[2].dtype);
    }

    [Fact]
    public void Draw_IsStandardNormal_AndFreshEachTime_AndAcrossBlocks()
    {
        using var a = zeros(200, 100);
        using var b = zeros(20_000);
        using var noise = new NoiseBuffer([a, b]);
        var random = new Generator(7);
        var xi = noise.Draw(random);
        using var first = xi[0].clone();
        using var firstB = xi[1].clone();
        xi = noise.Draw(random);
        foreach (var (x, n) in new[] { (xi[0], 20_000.0), (xi[1], 20_000.0) })
        {
            // mean within 5 standard errors of 0, variance within 5 standard errors (sd of s² ≈ √(2/n)) of 1
            Assert.InRange(x.mean().item<float>(), -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
            Assert.InRange(x.var().item<float>(), 1 - 5 * Math.Sqrt(2 / n), 1 + 5 * Math.Sqrt(2 / n));
        }
        // successive draws and the two blocks are uncorrelated (|r| within 5/√n)
        double Correlation(Tensor u, Tensor v) => stack([u.flatten(), v.flatten()]).corrcoef()[0, 1].item<float>();
        Assert.InRange(Correlation(first, xi[0]), -5 / Math.Sqrt(20_000), 5 / Math.Sqrt(20_000));
        Assert.InRange(Correlation(xi[0], xi[1]), -5 / Math.Sqrt(20_000), 5 / Math.Sqrt(20_000));
        Assert.False(firstB.eq(xi[1]).all().item<bool>());
    }
}
