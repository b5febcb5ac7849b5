using Occam.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A full curvature matrix H [P, P]. Two routes, chosen per call:
/// <list type="bullet">
/// <item><description>Spectral (one prior precision): when δ is one value for every weight and its gradient
/// can only be wanted along that value (δ does not require grad, or it is a scalar or an expanded view
/// of one), the primitives use an eigendecomposition H = Q diag(e) Qᵀ computed once, lazily:
/// log det Π = Σ log(s·eᵢ + δ) costs O(P) per call, which makes hyperparameter optimisation cheap.
/// Eigenvalues below zero (round-off in a PSD matrix) are clamped to 0.</description></item>
/// <item><description>Cholesky (any δ): Π = L Lᵀ. If the factorisation fails, jitter starting at
/// 1e-10 · mean(diag Π) is added to the diagonal and doubled until it succeeds; the amount is reported in
/// <see cref="JitterUsed"/>, and the results then describe Π + jitter·I.</description></item>
/// </list>
/// Both routes give the same values up to round-off; draws from the same seed differ between them.
/// </summary>
public sealed class DenseCurvature : ICurvature
{
    private const int MaxJitterDoublings = 60;
    private readonly Tensor _h; // [P, P], float64, symmetric
    private Tensor? _eigenvalues; // [P], clamped at 0
    private Tensor? _eigenvectors; // [P, P], columns
    private bool _disposed;

    /// <summary>Creates the curvature from a dense matrix.</summary>
    /// <param name="h">H, [P, P], finite and symmetric PSD; copied as float64 and symmetrised as (H + Hᵀ)/2.</param>
    public DenseCurvature(Tensor h)
    {
        using var scope = NewDisposeScope();
        _h = CurvatureArguments.SymmetricMatrix(h, nameof(h)).DetachFromDisposeScope();
        Size = _h.shape[0];
    }

    /// <inheritdoc/>
    public long Size { get; }

    /// <inheritdoc/>
    public string Structure => "full";

    /// <summary>
    /// Jitter added to the diagonal of Π by the most recent Cholesky factorisation (0 when none was
    /// needed, or when the last call took the spectral route).
    /// </summary>
    public double JitterUsed { get; private set; }

    /// <inheritdoc/>
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (delta, s, spectral) = Arguments(priorPrecision, scale);
        var result = spectral
            ? Spectrum(delta, s).log().sum()
            : 2.0 * Factor(delta, s).diagonal().log().sum();
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        Live();
        using var scope = NewDisposeScope();
        var j = CurvatureArguments.Jacobians(jacobians, Size);
        var (delta, s, spectral) = Arguments(priorPrecision, scale);
        Tensor w; // [N, O, P] with J Π⁻¹ Jᵀ = W Wᵀ
        if (spectral)
        {
            w = j.matmul(_eigenvectors!) * Spectrum(delta, s).rsqrt();
        }
        else
        {
            long n = j.shape[0], o = j.shape[1];
            var x = linalg.solve_triangular(Factor(delta, s), j.reshape(n * o, Size).T, upper: false); // L⁻¹Jᵀ, [P, N·O]
            w = x.reshape(Size, n, o).permute(1, 2, 0);
        }
        return w.matmul(w.transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureArguments.Count(count);
        using var scope = NewDisposeScope();
        var (delta, s, spectral) = Arguments(priorPrecision, scale);
        var z = CurvatureArguments.StandardNormal(count, Size, generator);
        var result = spectral
            ? (z * Spectrum(delta, s).rsqrt()).matmul(_eigenvectors!.T) // Q diag(λ^-½) z
            : linalg.solve_triangular(Factor(delta, s).T, z.T, upper: true).T; // L⁻ᵀ z
        return result.contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var (delta, s, spectral) = Arguments(priorPrecision, scale);
        Tensor result;
        if (spectral)
        {
            result = _eigenvectors!.square().matmul(Spectrum(delta, s).reciprocal());
        }
        else
        {
            var identity = eye(Size, dtype: ScalarType.Float64);
            result = linalg.solve_triangular(Factor(delta, s), identity, upper: false).square().sum(new long[] { 0 }); // diag(L⁻ᵀL⁻¹)
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor ToDense()
    {
        Live();
        return _h.clone();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _h.Dispose();
        _eigenvalues?.Dispose();
        _eigenvectors?.Dispose();
    }

    private (Tensor Delta, Tensor Scale, bool Spectral) Arguments(Tensor priorPrecision, Tensor scale)
    {
        Live();
        var (delta, values) = CurvatureArguments.PriorPrecision(priorPrecision, Size);
        var s = CurvatureArguments.Scale(scale);
        bool spectral = CurvatureArguments.IsConstant(values, 0, Size)
                        && (!priorPrecision.requires_grad || CurvatureArguments.IsBroadcast(priorPrecision));
        if (spectral)
        {
            EnsureEigendecomposition();
            JitterUsed = 0;
        }
        return (delta, s, spectral);
    }

    /// <summary>Eigenvalues of Π on the spectral route: s·e + δ, [P]. δ's gradient is spread evenly over its entries.</summary>
    private Tensor Spectrum(Tensor delta, Tensor s) => s * _eigenvalues! + delta.mean();

    private void EnsureEigendecomposition()
    {
        if (_eigenvalues is not null) return;
        using var scope = NewDisposeScope();
        var (values, vectors) = SymmetricEigen.Decompose(_h);
        _eigenvectors = vectors.contiguous().DetachFromDisposeScope();
        _eigenvalues = values.clamp_min(0.0).DetachFromDisposeScope();
    }

    /// <summary>The lower Cholesky factor of Π = s·H + diag(δ) (+ jitter·I when needed), in the caller's scope.</summary>
    private Tensor Factor(Tensor delta, Tensor s)
    {
        var pi = s * _h + diag(delta);
        var (l, info) = linalg.cholesky_ex(pi);
        if (info.item<int>() == 0)
        {
            JitterUsed = 0;
            return l;
        }
        var identity = eye(Size, dtype: ScalarType.Float64);
        double jitter = 1e-10 * pi.detach().diagonal().mean().item<double>();
        for (int attempt = 0; attempt < MaxJitterDoublings; attempt++, jitter *= 2)
        {
            (l, info) = linalg.cholesky_ex(pi + jitter * identity);
            if (info.item<int>() == 0)
            {
                JitterUsed = jitter;
                return l;
            }
        }
        throw new InvalidOperationException($"Cholesky of the posterior precision failed even with jitter {jitter / 2:g3} on the diagonal; the curvature is far from positive semi-definite.");
    }

    private void Live() => ObjectDisposedException.ThrowIf(_disposed, this);
}
