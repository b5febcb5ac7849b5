namespace Occam.ModelSelection;

/// <summary>
/// The log evidence of a model from a Gaussian approximation N(θ*, Σ) of its posterior, split into how well
/// the centre explains the data and what the posterior's narrowing costs:
/// <code>
/// log p(D) ≈ log p(D | θ*) + log p(θ*) + (P/2) log 2π + ½ log det Σ
///          =     data fit      +            Occam factor
/// </code>
/// The Occam factor is the log of the ratio of the posterior's volume to the prior's (for a Gaussian prior
/// of precision α: ½ Σ log(α·σ²ᵢ) over the posterior's principal variances, less ½ α‖θ*‖²). Every value is in the
/// units the model was fitted in (standardised targets for regression), so candidates fitted on the same data
/// compare directly.
/// </summary>
/// <param name="LogEvidence">The approximate log evidence, <see cref="DataFit"/> + <see cref="OccamFactor"/>.</param>
/// <param name="DataFit">log p(D | θ*): the training log-likelihood at the centre.</param>
/// <param name="OccamFactor">log p(θ*) + (P/2) log 2π − ½ log det Σ⁻¹ (≤ 0 whenever the posterior is narrower than the prior in every direction).</param>
/// <param name="LogPrior">log p(θ*), the prior density at the centre.</param>
/// <param name="LogDetPrecision">log det Σ⁻¹, the log determinant of the posterior precision.</param>
/// <param name="Parameters">P, the weights the Gaussian covers.</param>
/// <param name="EffectiveDimension">N_eff = P − tr(diag(δ) Σ) (for a curvature H and scalar α: Σ λᵢ/(λᵢ + α)), or null when unknown.</param>
/// <param name="PriorPrecision">The prior precision(s) δ used: one, or one per layer.</param>
/// <param name="NoiseSd">The Gaussian likelihood's noise σ in the data fit (standardised units), or null.</param>
/// <param name="Approximation">Where Σ comes from: "laplace (STRUCTURE)", "ivon" or "swag".</param>
/// <param name="Centre">Which θ* the data fit and the prior are evaluated at ("MAP" or "mean").</param>
/// <param name="IsHeuristic">True when Σ is not a curvature-based posterior (SWAG's covariance of SGD iterates), so the value is a heuristic, not an approximation of the evidence.</param>
public sealed record EvidenceSplit(double LogEvidence, double DataFit, double OccamFactor, double LogPrior, double LogDetPrecision, long Parameters,
    double? EffectiveDimension, double[] PriorPrecision, double? NoiseSd, string Approximation, string Centre, bool IsHeuristic);
