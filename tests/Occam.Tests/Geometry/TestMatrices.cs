using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>Symmetric float64 matrices with a chosen spectrum, Q diag(λ) Qᵀ with a seeded random orthogonal Q.</summary>
internal static class TestMatrices
{
    public static Tensor WithSpectrum(double[] eigenvalues, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        int p = eigenvalues.Length;
        var (q, _) = linalg.qr(randn(new long[] { p, p }, ScalarType.Float64, generator: generator));
        var lambda = tensor(eigenvalues, ScalarType.Float64);
        var a = q.matmul(lambda.unsqueeze(1) * q.T);
        return ((a + a.T) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>A spectrum like a network curvature's: a few large outliers and a bulk near zero.</summary>
    public static double[] OutliersAndBulk(int size, int outliers, ulong seed)
    {
        var rng = new Random((int)seed);
        var values = new double[size];
        for (int i = 0; i < size; i++)
            values[i] = i < outliers ? 1000.0 * Math.Pow(0.6, i) : rng.NextDouble();
        return values;
    }
}
