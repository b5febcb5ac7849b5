namespace Occam.Core;

/// <summary>A posterior that knows an approximation of its model's log marginal likelihood (Laplace, Gaussian processes).</summary>
public interface IEvidence
{
    /// <summary>The log evidence at the current hyperparameters, with its parts.</summary>
    EvidenceReport Evidence { get; }
}

/// <summary>
/// The log marginal likelihood (evidence) of a model and its parts, log p(D|M) = data fit + Occam
/// factor: how well the best explanation fits, and the price of the posterior being narrower than the
/// prior. Values are in the units the model was fitted in (standardised targets for regression).
/// </summary>
/// <param name="LogMarginalLikelihood">The (approximate) log evidence.</param>
/// <param name="DataFit">The data-fit part (Laplace: log p(D|θ*); GP: −½ yᵀK⁻¹y).</param>
/// <param name="OccamFactor">The complexity part (Laplace: log p(θ*) + (P/2) log 2π − ½ log det(posterior precision); GP: −½ log|K| − (n/2) log 2π).</param>
/// <param name="LogDeterminant">The log determinant of the posterior precision (Laplace) or of K (GP).</param>
/// <param name="Parameters">P, the weights the Gaussian covers (GP: the number of training points).</param>
/// <param name="PriorPrecision">Prior precision(s) used (one, or one per layer; empty for a GP).</param>
/// <param name="NoiseSd">Observation noise σ of a Gaussian likelihood (standardised units), else null.</param>
public sealed record EvidenceReport(double LogMarginalLikelihood, double DataFit, double OccamFactor, double LogDeterminant,
    long Parameters, double[] PriorPrecision, double? NoiseSd);
