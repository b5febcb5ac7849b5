using static TorchSharp.torch;

namespace Occam.ModelSelection;

/// <summary>
/// The one formula every Gaussian approximation shares: from the data fit log p(D|θ*), the centre θ*, the
/// Gaussian prior's precision δ and log det Σ⁻¹,
/// <code>
/// log p(θ*)    = Σᵢ ½ log(δᵢ / 2π) − ½ δᵢ θ*ᵢ²
/// Occam factor = log p(θ*) + (P/2) log 2π − ½ log det Σ⁻¹
/// log p(D)     ≈ log p(D|θ*) + Occam factor
/// </code>
/// (MacKay 1992; Bishop 2006, §4.4.1). It is exact for a linear-Gaussian model with Σ the true posterior
/// covariance and θ* its mean.
/// </summary>
public static class OccamFactor
{
    /// <summary>The evidence split of a Gaussian N(θ*, Σ) under the prior N(0, diag(δ)⁻¹).</summary>
    /// <param name="dataFit">log p(D|θ*).</param>
    /// <param name="centre">θ* [P], any float dtype (read in float64; not disposed).</param>
    /// <param name="priorPrecision">δ [P] or a scalar (0-dim) tensor, every entry &gt; 0 (not disposed).</param>
    /// <param name="logDetPrecision">log det Σ⁻¹.</param>
    /// <param name="effectiveDimension">N_eff where known, else null.</param>
    /// <param name="priorPrecisionValues">The prior precision(s) to report (one, or one per layer).</param>
    /// <param name="noiseSd">The Gaussian noise σ of the data fit, or null.</param>
    /// <param name="approximation">Where Σ comes from (for reports).</param>
    /// <param name="centreName">Which θ* ("MAP" or "mean").</param>
    /// <param name="heuristic">Whether Σ is not a curvature-based posterior.</param>
    /// <exception cref="ArgumentException">Mismatched shapes, a non-positive prior precision or a non-finite input.</exception>
    public static EvidenceSplit Split(double dataFit, Tensor centre, Tensor priorPrecision, double logDetPrecision, double? effectiveDimension,
        double[] priorPrecisionValues, double? noiseSd, string approximation, string centreName, bool heuristic = false)
    {
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentNullException.ThrowIfNull(priorPrecision);
        ArgumentNullException.ThrowIfNull(priorPrecisionValues);
        if (centre.dim() != 1) throw new ArgumentException($"The centre must be a vector [P]; got [{string.Join(", ", centre.shape)}].", nameof(centre));
        if (priorPrecision.dim() > 1 || (priorPrecision.dim() == 1 && priorPrecision.shape[0] != centre.shape[0]))
            throw new ArgumentException($"The prior precision must be a scalar or [{centre.shape[0]}]; got [{string.Join(", ", priorPrecision.shape)}].", nameof(priorPrecision));
        if (!double.IsFinite(dataFit)) throw new ArgumentException($"The data fit is not finite ({dataFit}).", nameof(dataFit));
        if (!double.IsFinite(logDetPrecision)) throw new ArgumentException($"log det of the posterior precision is not finite ({logDetPrecision}).", nameof(logDetPrecision));
        using var scope = NewDisposeScope();
        long p = centre.shape[0];
        var theta = centre.detach().to_type(ScalarType.Float64);
        var delta = priorPrecision.detach().to_type(ScalarType.Float64, copy: false).to(theta.device).expand(p);
        if (delta.le(0).any().item<bool>()) throw new ArgumentException("Every prior precision must be positive: the Occam factor needs a proper prior.", nameof(priorPrecision));
        double logPrior = (0.5 * (delta / (2 * Math.PI)).log().sum() - 0.5 * (delta * theta.square()).sum()).item<double>();
        double occam = logPrior + 0.5 * p * Math.Log(2 * Math.PI) - 0.5 * logDetPrecision;
        return new EvidenceSplit(dataFit + occam, dataFit, occam, logPrior, logDetPrecision, p, effectiveDimension, priorPrecisionValues.ToArray(), noiseSd,
            approximation, centreName, heuristic);
    }
}
