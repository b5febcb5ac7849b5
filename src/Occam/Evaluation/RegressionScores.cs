namespace Occam.Evaluation;

/// <summary>
/// Regression metrics of a predictive on targets; see <see cref="RegressionMetrics.Compute"/>.
/// Values are in the units of the predictive (de-standardise it first to report original units).
/// </summary>
/// <param name="Rmse">Root mean squared error of the predictive mean over all N·T entries.</param>
/// <param name="TestLogLikelihood">Mean over the N inputs of the log predictive density (summed over the T targets), in nats.</param>
/// <param name="Coverage50">Fraction of the N·T entries inside the central 50% interval of the predictive mixture.</param>
/// <param name="Coverage90">Fraction of the N·T entries inside the central 90% interval of the predictive mixture.</param>
/// <param name="Coverage95">Fraction of the N·T entries inside the central 95% interval of the predictive mixture.</param>
/// <param name="MeanPredictiveSd">Mean over the N·T entries of the predictive standard deviation √(aleatoric + epistemic).</param>
/// <param name="Count">Number of inputs N.</param>
public sealed record RegressionScores(
    double Rmse,
    double TestLogLikelihood,
    double Coverage50,
    double Coverage90,
    double Coverage95,
    double MeanPredictiveSd,
    long Count);
