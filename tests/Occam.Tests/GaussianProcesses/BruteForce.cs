using MathNet.Numerics.LinearAlgebra;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Derivative-free references for small problems: tensor-product Gauss–Hermite quadrature and nested grid search.</summary>
internal static class BruteForce
{
    /// <summary>
    /// Nodes zᵢ and weights wᵢ with Σ wᵢ g(zᵢ) ≈ E[g(z)], z ~ N(0, 1): Golub–Welsch on the Jacobi matrix of
    /// the probabilists' Hermite polynomials (off-diagonal √k), using MathNet's symmetric eigensolver.
    /// </summary>
    public static (double[] Nodes, double[] Weights) GaussHermite(int n)
    {
        var jacobi = Matrix<double>.Build.Dense(n, n);
        for (int k = 1; k < n; k++) jacobi[k, k - 1] = jacobi[k - 1, k] = Math.Sqrt(k);
        var evd = jacobi.Evd(Symmetricity.Symmetric);
        var nodes = evd.EigenValues.Select(c => c.Real).ToArray();
        var weights = Enumerable.Range(0, n).Select(i => evd.EigenVectors[0, i] * evd.EigenVectors[0, i]).ToArray();
        return (nodes, weights);
    }

    /// <summary>E[g(f)] for f ~ N(mean, covariance) in d ≤ 4 dimensions, by a tensor product of n-point rules on f = mean + L z.</summary>
    public static double Expectation(Vector<double> mean, Matrix<double> covariance, Func<double[], double> g, int n)
    {
        int d = mean.Count;
        var lower = covariance.Cholesky().Factor;
        var (nodes, weights) = GaussHermite(n);
        var index = new int[d];
        double sum = 0;
        var z = Vector<double>.Build.Dense(d);
        while (true)
        {
            double w = 1;
            for (int k = 0; k < d; k++) { z[k] = nodes[index[k]]; w *= weights[index[k]]; }
            sum += w * g((mean + lower * z).ToArray());
            int pos = 0;
            while (pos < d && ++index[pos] == n) index[pos++] = 0;
            if (pos == d) break;
        }
        return sum;
    }

    /// <summary>The maximiser of a concave function by nested grids: each level evaluates a grid and shrinks the box around its best point.</summary>
    public static double[] Maximise(Func<double[], double> objective, int dimension, double halfWidth, int points = 21, int levels = 22)
    {
        var centre = new double[dimension];
        for (int level = 0; level < levels; level++)
        {
            double spacing = 2 * halfWidth / (points - 1);
            var best = centre;
            double bestValue = double.NegativeInfinity;
            var index = new int[dimension];
            while (true)
            {
                var candidate = centre.Select((c, k) => c - halfWidth + index[k] * spacing).ToArray();
                double value = objective(candidate);
                if (value > bestValue) (bestValue, best) = (value, candidate);
                int pos = 0;
                while (pos < dimension && ++index[pos] == points) index[pos++] = 0;
                if (pos == dimension) break;
            }
            centre = best;
            halfWidth = 2 * spacing;
        }
        return centre;
    }

    /// <summary>−d²/df² of a scalar function by central differences.</summary>
    public static double NegativeSecondDerivative(Func<double, double> f, double at, double step = 1e-4) =>
        -(f(at + step) - 2 * f(at) + f(at - step)) / (step * step);
}
