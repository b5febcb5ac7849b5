namespace Occam.Inference.Laplace;

/// <summary>
/// The Laplace approximation of the log marginal likelihood (evidence) of the model, with its parts:
/// log p(D|M) ≈ log p(D|θ*) + log p(θ*) + (P/2) log 2π − ½ log det(H + P₀)
///           = data fit + Occam factor.
/// Values are in the units the model was fitted in (standardised targets for regression).
/// </summary>
/// <param name="LogMarginalLikelihood">The approximate log evidence.</param>
/// <param name="DataFit">log p(D|θ*): how well the MAP explains the data.</param>
/// <param name="OccamFactor">log p(θ*) + (P/2) log 2π − ½ log det(H + P₀) ≤ 0 typically: the price of the posterior being narrower than the prior.</param>
/// <param name="LogDeterminant">log det of the posterior precision.</param>
/// <param name="Parameters">P, the weights the Gaussian covers.</param>
/// <param name="PriorPrecision">Prior precision(s) used (one, or one per layer).</param>
/// <param name="NoiseSd">Observation noise σ for a Gaussian likelihood (standardised units), else null.</param>
public sealed record LaplaceEvidence(double LogMarginalLikelihood, double DataFit, double OccamFactor, double LogDeterminant,
    long Parameters, double[] PriorPrecision, double? NoiseSd);
