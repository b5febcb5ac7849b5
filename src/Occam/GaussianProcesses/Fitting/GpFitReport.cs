namespace Occam.GaussianProcesses.Fitting;

/// <summary>The outcome of hyperparameter fitting.</summary>
/// <param name="LogMarginalLikelihood">The best objective reached (the model keeps the hyperparameters that reached it).</param>
/// <param name="BestStart">Which start won (0 = the start from the initial values).</param>
/// <param name="FinalValues">The best objective of each start; NaN for a start that failed (for example a Cholesky failure at its first point).</param>
/// <param name="Evaluations">Objective evaluations over all starts.</param>
public sealed record GpFitReport(double LogMarginalLikelihood, int BestStart, IReadOnlyList<double> FinalValues, int Evaluations);
