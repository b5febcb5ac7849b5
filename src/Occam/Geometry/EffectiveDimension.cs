namespace Occam.Geometry;

/// <summary>
/// The effective dimensionality of Maddox, Benton &amp; Wilson (2020), N_eff(H, α) = Σᵢ λᵢ / (λᵢ + α) over
/// the eigenvalues λᵢ of the curvature H and a prior precision α &gt; 0: the number of directions the data
/// determine (MacKay's γ, the number of well-determined parameters). For a Bayesian linear model with
/// H = XᵀX/σ², it is tr(H (H + αI)⁻¹), the posterior's contraction from the prior summed over directions:
/// P − α tr(Σ_post). Negative eigenvalues (a Hessian away from a minimum) count as zero.
/// </summary>
public static class EffectiveDimension
{
    /// <summary>Σᵢ max(λᵢ, 0) / (max(λᵢ, 0) + α) over the given eigenvalues.</summary>
    /// <exception cref="ArgumentException">α ≤ 0 or not finite.</exception>
    /// <exception cref="NonFiniteCurvatureException">A non-finite eigenvalue.</exception>
    public static double FromEigenvalues(IEnumerable<double> eigenvalues, double alpha)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        CheckAlpha(alpha);
        double total = 0;
        foreach (var lambda in eigenvalues)
        {
            if (!double.IsFinite(lambda)) throw new NonFiniteCurvatureException($"an eigenvalue of the curvature is not finite ({lambda})");
            total += Term(lambda, alpha);
        }
        return total;
    }

    /// <summary>The stochastic Lanczos quadrature estimate P · E[max(λ, 0) / (max(λ, 0) + α)] over the whole spectrum.</summary>
    /// <exception cref="ArgumentException">α ≤ 0 or not finite.</exception>
    public static double FromDensity(SpectralDensity density, double alpha)
    {
        ArgumentNullException.ThrowIfNull(density);
        CheckAlpha(alpha);
        return density.Trace(lambda => Term(lambda, alpha));
    }

    /// <summary>Throws unless α is a positive, finite prior precision.</summary>
    /// <exception cref="ArgumentException">α ≤ 0 or not finite.</exception>
    public static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentException($"The prior precision α must be positive and finite; got {alpha}.", nameof(alpha));
    }

    private static double Term(double lambda, double alpha)
    {
        double positive = Math.Max(lambda, 0);
        return positive / (positive + alpha);
    }
}
