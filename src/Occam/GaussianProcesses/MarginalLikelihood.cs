namespace Occam.GaussianProcesses;

/// <summary>
/// A (log) marginal likelihood split into its parts, in nats. For an exact GP:
/// <see cref="DataFit"/> = −½ rᵀ(K + σ²I)⁻¹r with r = y − m, <see cref="Complexity"/> = −½ log|K + σ²I|,
/// <see cref="Constant"/> = −(N/2) log 2π and <see cref="Penalty"/> = 0. Each model's documentation says
/// how it fills the parts (the SGPR bound puts −tr(K − Q)/(2σ²) in <see cref="Penalty"/>; Laplace and EP
/// put the log-determinant terms in <see cref="Complexity"/>).
/// </summary>
/// <param name="DataFit">How well the data are explained.</param>
/// <param name="Complexity">The log-determinant (Occam) term.</param>
/// <param name="Constant">Terms that do not depend on the data or hyperparameters.</param>
/// <param name="Penalty">Extra terms of a bound (0 for exact models).</param>
public sealed record MarginalLikelihood(double DataFit, double Complexity, double Constant, double Penalty = 0)
{
    /// <summary>The sum of the parts.</summary>
    public double Total => DataFit + Complexity + Constant + Penalty;
}
