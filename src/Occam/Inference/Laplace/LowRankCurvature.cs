using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A low-rank curvature H ≈ U diag(λ) Uᵀ (top-k eigenpairs) with one prior precision δ:
/// log det(s·H + δI) = Σ log(s·λᵢ + δ) + (P − k) log δ; Π⁻¹ = (I − U diag(sλ/(sλ + δ)) Uᵀ)/δ;
/// samples δ^-½ (z + U((δ/(sλ + δ))^½ − 1)Uᵀz). Memory O(P·k).
/// </summary>
public sealed class LowRankCurvature : ICurvature
{
    private readonly Tensor _u;      // [P, k] orthonormal columns
    private readonly Tensor _lambda; // [k] ≥ 0

    /// <summary>Takes copies of the eigenvectors [P, k] and eigenvalues [k].</summary>
    public LowRankCurvature(Tensor eigenvectors, Tensor eigenvalues)
    {
        ArgumentNullException.ThrowIfNull(eigenvectors);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (eigenvectors.dim() != 2 || eigenvalues.dim() != 1 || eigenvectors.shape[1] != eigenvalues.shape[0])
            throw new ArgumentException($"Expected eigenvectors [P, k] and eigenvalues [k]; got [{string.Join(", ", eigenvectors.shape)}] and [{string.Join(", ", eigenvalues.shape)}].");
        using var scope = NewDisposeScope();
        _u = eigenvectors.to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        _lambda = eigenvalues.to_type(ScalarType.Float64).clamp_min(0).clone().DetachFromDisposeScope();
    }

    /// <summary>
    /// The top-<paramref name="rank"/> eigenpairs of a symmetric PSD operator given by its
    /// matrix-vector product, by Lanczos with full re-orthogonalisation (min(P, 2k + 20) steps).
    /// </summary>
    public static LowRankCurvature FromMatrixVectorProduct(Func<Tensor, Tensor> product, long size, int rank, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (rank < 1 || rank > size) throw new ArgumentOutOfRangeException(nameof(rank), $"Rank must lie in 1..{size}; got {rank}.");
        using var scope = NewDisposeScope();
        int steps = (int)Math.Min(size, 2L * rank + 20);
        var basis = zeros(steps, size, ScalarType.Float64);
        var alpha = new double[steps];
        var beta = new double[steps];
        var v = randn(size, dtype: ScalarType.Float64, generator: generator);
        v = v / v.norm();
        int m = 0;
        for (; m < steps; m++)
        {
            using var inner = NewDisposeScope();
            basis[m] = v;
            var w = product(v);
            alpha[m] = w.dot(v).item<double>();
            var q = basis.narrow(0, 0, m + 1);
            w = w - q.t().matmul(q.matmul(w)); // full re-orthogonalisation (twice for stability)
            w = w - q.t().matmul(q.matmul(w));
            double norm = w.norm().item<double>();
            if (m + 1 == steps || norm < 1e-12 * Math.Max(1, Math.Abs(alpha[m]))) { m++; break; }
            beta[m] = norm;
            v = (w / norm).MoveToOuterDisposeScope();
        }
        var t = diag(tensor(alpha[..m], ScalarType.Float64));
        if (m > 1)
        {
            var off = tensor(beta[..(m - 1)], ScalarType.Float64);
            t = t + diag(off, 1) + diag(off, -1);
        }
        var (values, vectors) = linalg.eigh(t);
        int k = Math.Min(rank, m);
        var top = values.argsort(descending: true).narrow(0, 0, k);
        var u = basis.narrow(0, 0, m).t().matmul(vectors.index_select(1, top));
        return new LowRankCurvature(u, values.index_select(0, top));
    }

    /// <inheritdoc />
    public long Size => _u.shape[0];

    /// <summary>Rank k.</summary>
    public long Rank => _u.shape[1];

    /// <inheritdoc />
    public string Structure => "lowrank";

    /// <inheritdoc />
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        var delta = Delta(priorPrecision);
        using var scope = NewDisposeScope();
        return ((scale * _lambda + delta).log().sum() + (Size - Rank) * delta.log()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Jacobians(jacobians, Size);
        var delta = Delta(priorPrecision);
        using var scope = NewDisposeScope();
        var ju = jacobians.matmul(_u); // [N, O, k]
        var shrink = scale * _lambda / (scale * _lambda + delta);
        var result = (jacobians.matmul(jacobians.transpose(1, 2)) - (ju * shrink).matmul(ju.transpose(1, 2))) / delta;
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        var delta = Delta(priorPrecision);
        using var scope = NewDisposeScope();
        var z = randn(new long[] { count, Size }, dtype: ScalarType.Float64, generator: generator);
        var factor = (delta / (scale * _lambda + delta)).sqrt() - 1;
        return ((z + (z.matmul(_u) * factor).matmul(_u.t())) * delta.rsqrt()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        var delta = Delta(priorPrecision);
        using var scope = NewDisposeScope();
        var shrink = scale * _lambda / (scale * _lambda + delta);
        return ((1 - (_u.square() * shrink).sum(1)) / delta).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        return (_u * _lambda).matmul(_u.t()).MoveToOuterDisposeScope();
    }

    private Tensor Delta(Tensor priorPrecision)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        return CurvatureChecks.Constant(priorPrecision, "low-rank");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _u.Dispose();
        _lambda.Dispose();
    }
}
