using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Top eigenpairs of a symmetric operator given only by matrix-vector products: Lanczos with full
/// re-orthogonalisation (two classical Gram–Schmidt passes per step), float64 throughout.
/// </summary>
internal static class LanczosEigensolver
{
    /// <summary>
    /// Runs min(size, 2·rank + 20) Lanczos steps from a random start and returns the top
    /// <paramref name="rank"/> Ritz pairs in descending order: vectors [size, rank] (orthonormal columns)
    /// and values [rank]. Both are owned by the caller.
    /// </summary>
    public static (Tensor Vectors, Tensor Values) TopEigenpairs(Func<Tensor, Tensor> hvp, long size, int rank, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(hvp);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"Size must be at least 1; got {size}.");
        if (rank < 1 || rank > size) throw new ArgumentOutOfRangeException(nameof(rank), $"Rank must be in [1, {size}]; got {rank}.");
        int steps = (int)Math.Min(size, 2L * rank + 20);

        using var scope = NewDisposeScope();
        var basis = zeros(steps, size, dtype: ScalarType.Float64); // rows: Lanczos vectors
        var alpha = new double[steps];
        var beta = new double[Math.Max(steps - 1, 0)];
        basis[0].copy_(RandomUnitVector(basis, 0, size, generator));
        double normEstimate = 0;

        for (int j = 0; j < steps; j++)
        {
            using var step = NewDisposeScope();
            var v = basis[j];
            var w = Apply(hvp, v, size);
            alpha[j] = w.dot(v).item<double>();
            w = w - alpha[j] * v;
            if (j > 0) w = w - beta[j - 1] * basis[j - 1];
            w = Orthogonalise(w, basis.narrow(0, 0, j + 1));
            normEstimate = Math.Max(normEstimate, Math.Abs(alpha[j]) + (j > 0 ? beta[j - 1] : 0));
            if (j == steps - 1) break;

            double b = w.norm().item<double>();
            if (b > 1e-10 * Math.Max(normEstimate, double.Epsilon))
            {
                beta[j] = b;
                basis[j + 1].copy_(w / b);
            }
            else
            {
                // Invariant subspace found: continue from a fresh direction, decoupled (β = 0).
                beta[j] = 0;
                basis[j + 1].copy_(RandomUnitVector(basis, j + 1, size, generator));
            }
        }

        var tridiagonal = diag(tensor(alpha, dtype: ScalarType.Float64));
        if (steps > 1)
        {
            var off = tensor(beta, dtype: ScalarType.Float64);
            tridiagonal = tridiagonal + diag(off, 1) + diag(off, -1);
        }
        var (ritzValues, ritzVectors) = linalg.eigh(tridiagonal); // ascending
        var top = ritzValues.narrow(0, steps - rank, rank).flip(0);
        var coefficients = ritzVectors.narrow(1, steps - rank, rank).flip(1); // [steps, rank]
        var vectors = basis.T.matmul(coefficients).contiguous();
        return (vectors.MoveToOuterDisposeScope(), top.contiguous().MoveToOuterDisposeScope());
    }

    private static Tensor Apply(Func<Tensor, Tensor> hvp, Tensor v, long size)
    {
        using var input = v.clone();
        var output = hvp(input) ?? throw new InvalidOperationException("The matrix-vector product returned null.");
        if (output.numel() != size)
        {
            var shape = CurvatureArguments.Shape(output);
            output.Dispose();
            throw new InvalidOperationException($"The matrix-vector product must return a vector [{size}]; got {shape}.");
        }
        using (output)
            return output.detach().to_type(ScalarType.Float64).reshape(size).clone();
    }

    /// <summary>w minus its projection on the rows of <paramref name="basis"/>, applied twice for stability.</summary>
    private static Tensor Orthogonalise(Tensor w, Tensor basis)
    {
        for (int pass = 0; pass < 2; pass++)
            w = w - basis.T.matmul(basis.matmul(w));
        return w;
    }

    /// <summary>A random unit vector orthogonal to the first <paramref name="filled"/> rows of the basis.</summary>
    private static Tensor RandomUnitVector(Tensor basis, int filled, long size, Generator? generator)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var v = randn(new long[] { size }, ScalarType.Float64, generator: generator);
            if (filled > 0) v = Orthogonalise(v, basis.narrow(0, 0, filled));
            double norm = v.norm().item<double>();
            if (norm > 1e-8) return v / norm;
        }
        throw new InvalidOperationException("Lanczos could not find a new direction orthogonal to its basis.");
    }
}
