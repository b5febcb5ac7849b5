using static TorchSharp.torch;

namespace Occam.ModelSelection;

/// <summary>
/// log det Σ⁻¹ and the marginal variances diag Σ of the weight Gaussians that are not stored as a curvature:
/// a diagonal Gaussian (IVON, mean-field VI) and a low-rank-plus-diagonal covariance (SWAG). Results are float64.
/// </summary>
public static class GaussianVolume
{
    /// <summary>A diagonal Gaussian with standard deviations σ [P]: log det Σ⁻¹ = −2 Σ log σᵢ, and σ² (float64 [P], the caller owns it).</summary>
    /// <exception cref="ArgumentException">σ is not a vector of positive, finite values.</exception>
    public static (double LogDetPrecision, Tensor Variances) Diagonal(Tensor sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        if (sd.dim() != 1) throw new ArgumentException($"Standard deviations must be a vector [P]; got [{string.Join(", ", sd.shape)}].", nameof(sd));
        using var scope = NewDisposeScope();
        var s = sd.detach().to_type(ScalarType.Float64);
        if (!s.gt(0).all().item<bool>() || !s.isfinite().all().item<bool>()) throw new ArgumentException("Every standard deviation must be positive and finite.", nameof(sd));
        double logDet = (-2 * s.log().sum()).item<double>();
        return (logDet, s.square().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Σ = diag(d) + U Uᵀ with d [P] &gt; 0 and U [P, K] (or null for diag(d) alone). By the matrix determinant lemma,
    /// det(diag(d) + U Uᵀ) = det(diag(d)) · det(I_K + Uᵀ diag(d)⁻¹ U), so log det Σ⁻¹ = −Σ log dᵢ − log det(I_K + Uᵀ diag(d)⁻¹ U)
    /// costs O(P K² + K³) and never forms a P × P matrix; the K × K matrix is symmetric positive definite and is
    /// factorised by Cholesky. diag Σ = d + Σₖ U²ᵢₖ (float64 [P], the caller owns it).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match or a diagonal entry is not positive and finite.</exception>
    public static (double LogDetPrecision, Tensor Variances) LowRankPlusDiagonal(Tensor diagonal, Tensor? factor)
    {
        ArgumentNullException.ThrowIfNull(diagonal);
        if (diagonal.dim() != 1) throw new ArgumentException($"The diagonal must be a vector [P]; got [{string.Join(", ", diagonal.shape)}].", nameof(diagonal));
        long p = diagonal.shape[0];
        if (factor is not null && (factor.dim() != 2 || factor.shape[0] != p))
            throw new ArgumentException($"The low-rank factor must be [{p}, K]; got [{string.Join(", ", factor.shape)}].", nameof(factor));
        using var scope = NewDisposeScope();
        var d = diagonal.detach().to_type(ScalarType.Float64);
        if (!d.gt(0).all().item<bool>() || !d.isfinite().all().item<bool>()) throw new ArgumentException("Every diagonal entry must be positive and finite.", nameof(diagonal));
        var logDetCovariance = d.log().sum();
        var variances = d.clone();
        if (factor is not null && factor.shape[1] > 0)
        {
            var u = factor.detach().to_type(ScalarType.Float64).to(d.device);
            var capacitance = eye(u.shape[1], dtype: ScalarType.Float64, device: d.device) + u.t().matmul(u / d.unsqueeze(1));
            var cholesky = linalg.cholesky(capacitance);
            logDetCovariance = logDetCovariance + 2 * cholesky.diagonal().log().sum();
            variances.add_(u.square().sum(new long[] { 1 }));
        }
        return (-logDetCovariance.item<double>(), variances.MoveToOuterDisposeScope());
    }
}
