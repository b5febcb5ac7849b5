namespace Occam.Geometry;

/// <summary>
/// The spectrum of one curvature (GGN or Hessian of the summed negative log-likelihood) at a network's weights:
/// top eigenvalues, trace, spectral density and effective dimensionality at a prior precision α.
/// </summary>
/// <param name="Curvature">"GGN" or "Hessian" (or an operator's name).</param>
/// <param name="Parameters">P, the weights.</param>
/// <param name="Alpha">The prior precision α of the effective dimensionality.</param>
/// <param name="TopEigenvalues">The top k eigenvalues by Lanczos, descending.</param>
/// <param name="Trace">Hutchinson's estimate of the trace.</param>
/// <param name="TraceStandardError">Its standard error.</param>
/// <param name="EffectiveDimension">N_eff(H, α) over the whole spectrum, by stochastic Lanczos quadrature.</param>
/// <param name="EffectiveDimensionTopK">N_eff over the top k eigenvalues only: a lower bound.</param>
/// <param name="NegativeMass">The quadrature estimate of the fraction of eigenvalues below zero (0 for a GGN).</param>
/// <param name="Density">The spectral density estimate (quadrature nodes and weights).</param>
/// <param name="Products">Curvature-vector products spent.</param>
public sealed record CurvatureSummary(string Curvature, long Parameters, double Alpha, double[] TopEigenvalues, double Trace, double TraceStandardError,
    double EffectiveDimension, double EffectiveDimensionTopK, double NegativeMass, SpectralDensity Density, long Products);
