using Occam.Inference.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

/// <summary>
/// A curvature under test with the prior precision to use: δ is one value per group of consecutive
/// weights (groups of one weight give a free vector δ; one group gives a scalar δ).
/// </summary>
internal sealed record CurvatureCase(string Name, ICurvature Curvature, int[] GroupLengths, double[] GroupValues) : IDisposable
{
    /// <summary>The number of weights P.</summary>
    public long Size => Curvature.Size;

    /// <summary>δ [P] built from fresh group scalars (which the caller disposes).</summary>
    public Tensor Delta(out Tensor[] groupScalars, bool requiresGrad = false)
    {
        groupScalars = GroupValues.Select(v => tensor(v, ScalarType.Float64, requires_grad: requiresGrad)).ToArray();
        if (groupScalars.Length == 1) return groupScalars[0].expand(Size); // a broadcast view of one value
        var scalars = groupScalars;
        return cat(GroupLengths.Select((n, k) => scalars[k].expand(n)).ToArray(), 0);
    }

    /// <summary>δ [P] as plain values.</summary>
    public Tensor Delta()
    {
        var values = GroupLengths.SelectMany((n, k) => Enumerable.Repeat(GroupValues[k], n)).ToArray();
        return tensor(values, ScalarType.Float64);
    }

    public void Dispose() => Curvature.Dispose();

    public override string ToString() => Name;
}

/// <summary>The structures every contract test runs against, and dense truths to compare with.</summary>
internal static class CurvatureTestCases
{
    public const double Scale = 1.7;

    public static readonly string[] Names = ["full-cholesky", "full-spectral", "diag", "kron", "lowrank"];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var n in Names) data.Add(n);
        return data;
    }

    public static CurvatureCase Create(string name)
    {
        using var g = new Generator(42);
        using var scope = NewDisposeScope();
        switch (name)
        {
            case "full-cholesky": // free per-weight δ: Cholesky route
                return new(name, new DenseCurvature(RandomPsd(6, 10, g)), Ones(6), [0.5, 0.7, 0.9, 1.1, 1.3, 1.5]);
            case "full-spectral": // one δ: eigendecomposition route
                return new(name, new DenseCurvature(RandomPsd(6, 10, g)), [6], [0.8]);
            case "diag":
                return new(name, new DiagonalCurvature(rand(new long[] { 6 }, ScalarType.Float64, generator: g) * 3), Ones(6), [0.5, 0.7, 0.9, 1.1, 1.3, 1.5]);
            case "kron": // blocks 2×3 and 1×2, so a ≠ b catches transposed rotations
                var blocks = new[]
                {
                    new KroneckerBlock(RandomPsd(2, 4, g), RandomPsd(3, 5, g)),
                    new KroneckerBlock(RandomPsd(1, 2, g), RandomPsd(2, 3, g)),
                };
                return new(name, new KroneckerCurvature(blocks), [6, 2], [0.7, 1.3]);
            case "lowrank":
                var (q, _) = linalg.qr(randn(new long[] { 6, 3 }, ScalarType.Float64, generator: g));
                return new(name, new LowRankCurvature(q, tensor(new double[] { 3.0, 1.5, 0.4 })), [6], [0.9]);
            default:
                throw new ArgumentException($"Unknown case {name}.");
        }
    }

    /// <summary>XᵀX / m for X [m, n] standard normal: symmetric PSD, full rank when m ≥ n.</summary>
    public static Tensor RandomPsd(int n, int m, Generator g)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { m, n }, ScalarType.Float64, generator: g);
        return (x.T.matmul(x) / m).MoveToOuterDisposeScope();
    }

    /// <summary>Π = s·H + diag(δ) from the dense curvature.</summary>
    public static Tensor DensePrecision(ICurvature curvature, Tensor delta, double scale)
    {
        using var scope = NewDisposeScope();
        return (scale * curvature.ToDense() + diag(delta)).MoveToOuterDisposeScope();
    }

    /// <summary>Asserts max |actual − expected| ≤ atol + rtol · max |expected|.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol, double atol = 0)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double error = (actual.detach() - expected.detach()).abs().max().item<double>();
        double size = expected.detach().abs().max().item<double>();
        Assert.True(error <= atol + rtol * size, $"max abs error {error:g3} exceeds {atol + rtol * size:g3} (max |expected| = {size:g3}).");
    }

    public static void AssertRelative(double expected, double actual, double rtol) =>
        Assert.True(Math.Abs(actual - expected) <= rtol * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):g3}).");

    private static int[] Ones(int n) => Enumerable.Repeat(1, n).ToArray();
}
