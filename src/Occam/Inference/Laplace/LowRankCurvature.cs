using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A low-rank curvature H = U diag(λ) Uᵀ with k orthonormal columns U [P, k] (the top eigenpairs of the
/// GGN, e.g. from <see cref="FromMatrixVectorProduct"/>). With one prior precision δ for all weights,
/// Π = s·H + δI has eigenvalues s·λᵢ + δ on span(U) and δ elsewhere, so
/// log det Π = Σ log(s·λᵢ + δ) + (P − k)·log δ and Π⁻¹ = (1/δ)(I − U diag(s·λ/(s·λ + δ)) Uᵀ);
/// every primitive costs O(P·k) (O(N·O·P·(O + k)) for the inverse quadratic form). δ must be constant;
/// its gradient is spread evenly over its entries.
/// </summary>
public sealed class LowRankCurvature : ICurvature
{
    private const double OrthonormalityTolerance = 1e-6;
    private readonly Tensor _u; // [P, k]
    private readonly Tensor _lambda; // [k], clamped at 0
    private bool _disposed;

    /// <summary>Creates the curvature from eigenpairs.</summary>
    /// <param name="eigenvectors">U, [P, k] with 1 ≤ k ≤ P and orthonormal columns (UᵀU = I within 1e-6). Copied as float64.</param>
    /// <param name="eigenvalues">λ, [k], finite; values below zero (round-off) are clamped to 0. Copied as float64.</param>
    public LowRankCurvature(Tensor eigenvectors, Tensor eigenvalues)
    {
        ArgumentNullException.ThrowIfNull(eigenvectors);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (eigenvectors.dim() != 2 || eigenvectors.shape[1] < 1 || eigenvectors.shape[1] > eigenvectors.shape[0])
            throw new ArgumentException($"Eigenvectors must be [P, k] with 1 ≤ k ≤ P; got {CurvatureArguments.Shape(eigenvectors)}.", nameof(eigenvectors));
        long k = eigenvectors.shape[1];
        if (eigenvalues.dim() != 1 || eigenvalues.shape[0] != k)
            throw new ArgumentException($"Eigenvalues must be [{k}] (one per eigenvector column); got {CurvatureArguments.Shape(eigenvalues)}.", nameof(eigenvalues));
        using var scope = NewDisposeScope();
        var u = eigenvectors.detach().to_type(ScalarType.Float64).contiguous();
        var lambda = eigenvalues.detach().to_type(ScalarType.Float64);
        if (!u.isfinite().all().item<bool>() || !lambda.isfinite().all().item<bool>())
            throw new ArgumentException("Eigenvectors and eigenvalues must be finite.", nameof(eigenvectors));
        var error = (u.T.matmul(u) - eye(k, dtype: ScalarType.Float64)).abs().max().item<double>();
        if (error > OrthonormalityTolerance)
            throw new ArgumentException($"Eigenvector columns must be orthonormal (UᵀU = I); max |UᵀU − I| = {error:g3}.", nameof(eigenvectors));
        _u = u.clone().DetachFromDisposeScope();
        _lambda = lambda.clamp_min(0.0).DetachFromDisposeScope();
        Size = eigenvectors.shape[0];
        Rank = (int)k;
    }

    /// <summary>
    /// Finds the top <paramref name="rank"/> eigenpairs of a symmetric PSD operator by Lanczos with full
    /// re-orthogonalisation (float64, min(size, 2·rank + 20) iterations, Ritz pairs of the tridiagonal
    /// matrix from torch.linalg.eigh) and returns them as a low-rank curvature.
    /// </summary>
    /// <param name="hvp">v ↦ H·v for float64 vectors [size]; must return a [size] tensor (any float dtype), which is disposed after use.</param>
    /// <param name="size">P, the operator's dimension (≥ 1).</param>
    /// <param name="rank">k, the number of eigenpairs kept (1 ≤ k ≤ P).</param>
    /// <param name="generator">Random generator for the starting vector (and for restarts after an invariant subspace is found).</param>
    public static LowRankCurvature FromMatrixVectorProduct(Func<Tensor, Tensor> hvp, long size, int rank, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(hvp);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"Size must be at least 1; got {size}.");
        if (rank < 1 || rank > size) throw new ArgumentOutOfRangeException(nameof(rank), $"Rank must be in [1, {size}]; got {rank}.");
        var op = Geometry.CurvatureOperator.FromProduct(size, hvp, "curvature");
        using var pairs = Geometry.Lanczos.TopEigenpairs(op, rank, generator: generator);
        return new LowRankCurvature(pairs.Vectors, pairs.Values);
    }

    /// <inheritdoc/>
    public long Size { get; }

    /// <inheritdoc/>
    public string Structure => "lowrank";

    /// <summary>Number of eigenpairs k.</summary>
    public int Rank { get; }

    /// <summary>The eigenvectors U, [P, k] (a copy).</summary>
    public Tensor Eigenvectors
    {
        get { Live(); return _u.clone(); }
    }

    /// <summary>The eigenvalues λ, [k], clamped at 0 (a copy).</summary>
    public Tensor Eigenvalues
    {
        get { Live(); return _lambda.clone(); }
    }

    /// <inheritdoc/>
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (delta, s) = Arguments(priorPrecision, scale);
        var result = (s * _lambda + delta).log().sum() + (Size - Rank) * delta.log();
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        Live();
        using var scope = NewDisposeScope();
        var j = CurvatureArguments.Jacobians(jacobians, Size);
        var (delta, s) = Arguments(priorPrecision, scale);
        var shrink = s * _lambda / (s * _lambda + delta); // [k]
        var ju = j.matmul(_u); // [N, O, k]
        var result = (j.matmul(j.transpose(1, 2)) - (ju * shrink).matmul(ju.transpose(1, 2))) / delta;
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureArguments.Count(count);
        using var scope = NewDisposeScope();
        var (delta, s) = Arguments(priorPrecision, scale);
        var z = CurvatureArguments.StandardNormal(count, Size, generator);
        var factor = (delta / (s * _lambda + delta)).sqrt() - 1.0; // [k]
        var result = (z + (z.matmul(_u) * factor).matmul(_u.T)) * delta.rsqrt();
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (delta, s) = Arguments(priorPrecision, scale);
        var shrink = s * _lambda / (s * _lambda + delta);
        var result = (1.0 - _u.square().matmul(shrink)) / delta;
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor ToDense()
    {
        Live();
        using var scope = NewDisposeScope();
        return (_u * _lambda).matmul(_u.T).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _u.Dispose();
        _lambda.Dispose();
    }

    /// <summary>The one prior precision as a 0-dim tensor, and s.</summary>
    private (Tensor Delta, Tensor Scale) Arguments(Tensor priorPrecision, Tensor scale)
    {
        Live();
        var (delta, values) = CurvatureArguments.PriorPrecision(priorPrecision, Size);
        var s = CurvatureArguments.Scale(scale);
        if (!CurvatureArguments.IsConstant(values, 0, Size))
            throw new ArgumentException("A low-rank curvature needs one prior precision for all weights; pass a constant δ (or a scalar).", nameof(priorPrecision));
        return (delta.mean(), s);
    }

    private void Live() => ObjectDisposedException.ThrowIf(_disposed, this);
}
