using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>The dominant eigenpair found by power iteration; owns <see cref="Vector"/> (dispose it).</summary>
/// <param name="Value">The Rayleigh quotient vᵀAv at the last iterate: the eigenvalue of largest magnitude, with its sign.</param>
/// <param name="Vector">The unit eigenvector [P] (float64).</param>
/// <param name="Iterations">Products spent.</param>
/// <param name="Converged">Whether the relative change of the Rayleigh quotient fell below the tolerance.</param>
public sealed record DominantEigenpair(double Value, Tensor Vector, int Iterations, bool Converged) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Vector.Dispose();
}

/// <summary>
/// Power iteration: v ← A v / ‖A v‖ until the Rayleigh quotient settles. It converges at the rate
/// |λ₂/λ₁| per step, so it is slow when the top two eigenvalues are close; Lanczos reaches the same
/// eigenvalue with far fewer products and is the tool for more than one eigenpair.
/// </summary>
public static class PowerIteration
{
    /// <summary>Runs at most <paramref name="maxIterations"/> products from a Gaussian start.</summary>
    /// <exception cref="ArgumentException">Non-positive iterations or tolerance.</exception>
    public static DominantEigenpair Run(CurvatureOperator op, int maxIterations = 100, double tolerance = 1e-6, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (maxIterations < 1) throw new ArgumentException($"Iterations must be at least 1; got {maxIterations}.", nameof(maxIterations));
        if (!(tolerance > 0) || !double.IsFinite(tolerance)) throw new ArgumentException($"The tolerance must be positive; got {tolerance}.", nameof(tolerance));
        using var scope = NewDisposeScope();
        var v = randn(new long[] { op.Size }, ScalarType.Float64, generator: generator);
        v.div_(v.norm());
        double previous = double.NaN, value = 0;
        bool converged = false;
        int iteration = 0;
        while (iteration < maxIterations)
        {
            using var step = NewDisposeScope();
            var w = op.Multiply(v);
            iteration++;
            value = w.dot(v).item<double>();
            double norm = w.norm().item<double>();
            if (norm == 0) { converged = true; break; } // A v = 0: v is an eigenvector of eigenvalue 0
            v.copy_(w / norm);
            if (double.IsFinite(previous) && Math.Abs(value - previous) <= tolerance * Math.Max(Math.Abs(value), double.Epsilon))
            {
                converged = true;
                break;
            }
            previous = value;
        }
        return new DominantEigenpair(value, v.MoveToOuterDisposeScope(), iteration, converged);
    }
}
