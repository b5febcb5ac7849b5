using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Random problems and conversions between torch tensors and MathNet matrices for the GP tests.</summary>
internal static class GpTestData
{
    /// <summary>Standard normal float64 inputs [n, d] from a seeded generator.</summary>
    public static Tensor Inputs(int n, int d, int seed, double scale = 1.0)
    {
        var g = new Generator((ulong)seed);
        return randn([n, d], dtype: ScalarType.Float64, generator: g) * scale;
    }

    /// <summary>y = sin(Σ_d x_d) + 0.5 + noise·N(0, 1), float64 [n].</summary>
    public static Tensor Targets(Tensor x, int seed, double noise = 0.1)
    {
        var g = new Generator((ulong)seed + 1000);
        return x.sum(1).sin() + 0.5 + noise * randn([x.size(0)], dtype: ScalarType.Float64, generator: g);
    }

    public static Matrix<double> ToMatrix(Tensor t)
    {
        var rows = (int)t.size(0);
        var cols = (int)t.size(1);
        var data = t.detach().contiguous().data<double>().ToArray();
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => data[i * cols + j]);
    }

    public static Vector<double> ToVector(Tensor t) => Vector<double>.Build.DenseOfArray(t.detach().contiguous().reshape(-1).data<double>().ToArray());

    public static double[] Row(Matrix<double> m, int i) => m.Row(i).ToArray();

    /// <summary>max |a − b| over all entries.</summary>
    public static double MaxAbsDiff(Matrix<double> a, Matrix<double> b) => (a - b).Enumerate().Max(Math.Abs);

    public static double MaxAbsDiff(Vector<double> a, Vector<double> b) => (a - b).Enumerate().Max(Math.Abs);

    public static double MaxAbs(Matrix<double> a) => a.Enumerate().Max(Math.Abs);

    /// <summary>A matrix whose (i, j) entry is k(xᵢ, x′ⱼ), built row by row in plain C#.</summary>
    public static Matrix<double> Gram(Matrix<double> x1, Matrix<double> x2, Func<double[], double[], double> k) =>
        Matrix<double>.Build.Dense(x1.RowCount, x2.RowCount, (i, j) => k(Row(x1, i), Row(x2, j)));

    /// <summary>Σ_d ((a_d − b_d)/ℓ_d)² with ℓ shared when it has one entry.</summary>
    public static double ScaledSquaredDistance(double[] a, double[] b, double[] lengthscales)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            double l = lengthscales.Length == 1 ? lengthscales[0] : lengthscales[d];
            sum += (a[d] - b[d]) * (a[d] - b[d]) / (l * l);
        }
        return sum;
    }

    /// <summary>Log-determinant from MathNet's Cholesky.</summary>
    public static double LogDet(Matrix<double> a) => 2 * a.Cholesky().Factor.Diagonal().Select(v => Math.Log(v)).Sum();
}
