using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A dense curvature H [P, P]: Π = s·H + diag(δ) is factorised by Cholesky (jitter doubled from
/// 10⁻¹⁰·mean diag if needed, reported in <see cref="JitterUsed"/>). With a constant δ, log det uses
/// a once-computed eigendecomposition of H, Σ log(s·eᵢ + δ), so hyperparameter tuning stays cheap.
/// </summary>
public sealed class DenseCurvature : ICurvature
{
    private readonly Tensor _h;
    private Tensor? _eigenvalues;

    /// <summary>Takes a symmetrised float64 copy of <paramref name="h"/> [P, P].</summary>
    public DenseCurvature(Tensor h)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.dim() != 2 || h.shape[0] != h.shape[1]) throw new ArgumentException($"H must be square [P, P]; got [{string.Join(", ", h.shape)}].", nameof(h));
        using var scope = NewDisposeScope();
        var h64 = h.to_type(ScalarType.Float64);
        _h = (0.5 * (h64 + h64.t())).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public long Size => _h.shape[0];

    /// <inheritdoc />
    public string Structure => "full";

    /// <summary>Diagonal jitter the last Cholesky needed (0 when none).</summary>
    public double JitterUsed { get; private set; }

    /// <inheritdoc />
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        if (IsConstant(priorPrecision))
        {
            _eigenvalues ??= linalg.eigvalsh(_h).clamp_min(0).DetachFromDisposeScope();
            return (scale * _eigenvalues + priorPrecision[0]).log().sum().MoveToOuterDisposeScope();
        }
        var l = Cholesky(priorPrecision, scale);
        return (2 * l.diagonal().log().sum()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Jacobians(jacobians, Size);
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var l = Cholesky(priorPrecision, scale);
        long n = jacobians.shape[0], o = jacobians.shape[1];
        var flat = jacobians.reshape(n * o, Size).t(); // [P, N·O]
        var w = linalg.solve_triangular(l, flat, upper: false); // L⁻¹Jᵀ
        var wt = w.t().reshape(n, o, Size);
        return wt.matmul(wt.transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var l = Cholesky(priorPrecision, scale);
        var z = randn(new long[] { Size, count }, dtype: ScalarType.Float64, generator: generator);
        return linalg.solve_triangular(l.t(), z, upper: true).t().MoveToOuterDisposeScope(); // L⁻ᵀz ~ N(0, Π⁻¹)
    }

    /// <inheritdoc />
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var l = Cholesky(priorPrecision, scale);
        var inverse = linalg.solve_triangular(l, eye(Size, dtype: ScalarType.Float64), upper: false);
        return inverse.square().sum(0L).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToDense() => _h.clone();

    private Tensor Cholesky(Tensor priorPrecision, Tensor scale)
    {
        var precision = scale * _h + diag(priorPrecision);
        var (l, info) = linalg.cholesky_ex(precision);
        if (info.item<int>() == 0)
        {
            JitterUsed = 0;
            return l;
        }
        double jitter = 1e-10 * Math.Max(precision.diagonal().mean().item<double>(), 1e-300);
        for (int attempt = 0; attempt < 40; attempt++, jitter *= 2)
        {
            (l, info) = linalg.cholesky_ex(precision + jitter * eye(Size, dtype: ScalarType.Float64));
            if (info.item<int>() == 0)
            {
                JitterUsed = jitter;
                return l;
            }
        }
        throw new OccamException("the posterior precision is not positive definite even with jitter; increase the prior precision");
    }

    private static bool IsConstant(Tensor priorPrecision)
    {
        if (priorPrecision.requires_grad && priorPrecision.is_leaf) return false;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return (priorPrecision.max() - priorPrecision.min()).item<double>() <= 1e-15 * priorPrecision.abs().max().item<double>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _h.Dispose();
        _eigenvalues?.Dispose();
    }
}
