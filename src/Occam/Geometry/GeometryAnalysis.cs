using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// Summarises a curvature operator: the top k eigenvalues (Lanczos with full re-orthogonalisation), the trace
/// (Hutchinson), the spectral density (stochastic Lanczos quadrature) and the effective dimensionality
/// N_eff(H, α) from the density and, as a lower bound, from the top eigenvalues. Every random vector comes
/// from one generator seeded with <see cref="GeometryOptions.Seed"/>, so a summary is reproducible.
/// </summary>
public static class GeometryAnalysis
{
    /// <summary>Summarises <paramref name="op"/> at prior precision <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentException">α ≤ 0, or settings that do not fit the operator (k &gt; P).</exception>
    /// <exception cref="NonFiniteCurvatureException">A product was not finite.</exception>
    public static CurvatureSummary Summarise(CurvatureOperator op, double alpha, GeometryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        options ??= new GeometryOptions();
        EffectiveDimension.CheckAlpha(alpha);
        options.Validate(op.Size);
        long before = op.Products;
        using var generator = new Generator((ulong)options.Seed);
        double[] top;
        using (var pairs = Lanczos.TopEigenpairs(op, options.TopK, options.TopSteps, generator)) top = pairs.ValuesArray();
        var trace = HutchinsonTrace.Estimate(op, options.TraceSamples, generator);
        var density = StochasticLanczosQuadrature.Estimate(op, options.DensityProbes, (int)Math.Min(options.DensitySteps, op.Size), generator);
        return new CurvatureSummary(op.Name, op.Size, alpha, top, trace.Value, trace.StandardError,
            EffectiveDimension.FromDensity(density, alpha), EffectiveDimension.FromEigenvalues(top, alpha),
            density.Expectation(lambda => lambda < 0 ? 1 : 0), density, op.Products - before);
    }
}
