using Occam.Randomness;
using static TorchSharp.torch;

namespace Occam.Tests.Randomness;

/// <summary>
/// The vectorised normal generator against the standard normal law: Kolmogorov–Smirnov distance to
/// Φ (computed with libtorch's erf), moments, and the independence of neighbours and of the two
/// Box–Muller outputs. Seeds are fixed, so the bounds (about four standard errors, or the KS 1%
/// critical value) are deterministic checks that a wrong transform cannot pass: halving the −2 in
/// the radius, for example, gives variance 0.5 and a KS distance near 0.08.
/// </summary>
public sealed class VectorNormalGeneratorTests
{
    private const int N = 200_000;

    private static float[] Draws(ulong seed, int n = N)
    {
        var values = new float[n];
        new VectorNormalGenerator(seed).Fill(values);
        return values;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(20261202UL)]
    public void Draws_FollowTheStandardNormalLaw(ulong seed)
    {
        using var scope = NewDisposeScope();
        var x = tensor(Draws(seed)).to_type(ScalarType.Float64);
        var sorted = x.sort().Values;
        var cdf = (1 + (sorted / Math.Sqrt(2)).erf()) / 2;
        var upper = arange(1, N + 1, ScalarType.Float64) / N;
        double ks = maximum((upper - cdf).abs(), (cdf - (upper - 1.0 / N)).abs()).max().item<double>();
        Assert.True(ks < 1.63 / Math.Sqrt(N), $"KS distance {ks:E3} above the 1% critical value {1.63 / Math.Sqrt(N):E3}");
        double se = 1 / Math.Sqrt(N);
        Assert.InRange(x.mean().item<double>(), -4 * se, 4 * se);
        Assert.InRange(x.var().item<double>(), 1 - 4 * Math.Sqrt(2) * se, 1 + 4 * Math.Sqrt(2) * se);
        Assert.InRange(x.pow(4).mean().item<double>(), 3 - 4 * Math.Sqrt(96) * se, 3 + 4 * Math.Sqrt(96) * se); // kurtosis: Var(x⁴) = 96
    }

    [Fact]
    public void Neighbours_AndBoxMullerPartners_AreUncorrelated()
    {
        using var scope = NewDisposeScope();
        var x = tensor(Draws(7)).to_type(ScalarType.Float64);
        double Correlation(Tensor a, Tensor b) => ((a - a.mean()) * (b - b.mean())).mean().item<double>() / (a.std().item<double>() * b.std().item<double>());
        double bound = 4 / Math.Sqrt(N / 2.0);
        Assert.InRange(Correlation(x[..^1], x[1..]), -bound, bound);
        var blocks = x.view(-1, 2, 8);                 // each block of 16 holds 8 cosine outputs, then their 8 sine partners
        Assert.InRange(Correlation(blocks[.., 0].reshape(-1), blocks[.., 1].reshape(-1)), -bound, bound);
        Assert.InRange(Correlation(blocks[.., 0].reshape(-1).square(), blocks[.., 1].reshape(-1).square()), -bound, bound); // same radius: dependence would show here
    }

    [Fact]
    public void TheSequence_DependsOnTheSeedOnly_AndContinuesAcrossCalls()
    {
        Assert.Equal(Draws(5, 100), Draws(5, 100));
        Assert.NotEqual(Draws(5, 100), Draws(6, 100));
        var generator = new VectorNormalGenerator(9);
        var first = new float[37];
        var second = new float[37];
        generator.Fill(first);
        generator.Fill(second);
        Assert.NotEqual(first, second);
        Assert.All(first.Concat(second), v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 5.8f, $"draw {v} outside the float32 Box–Muller range"));
    }
}
