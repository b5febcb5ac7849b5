using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// Accuracy, log-likelihood, interval coverage and sharpness of a regression predictive.
/// Metrics are in whatever units the predictive is in: the caller de-standardises first
/// (<see cref="Predictive.Affine"/>) to report original units.
/// </summary>
public static class RegressionMetrics
{
    /// <summary>
    /// Computes the metrics of <paramref name="predictive"/> against <paramref name="targets"/>.
    /// <list type="bullet">
    /// <item>RMSE: √(mean over all N·T entries of (mean − y)²), using the predictive mean.</item>
    /// <item>Test log-likelihood: (1/N) Σₙ <see cref="Predictive.LogDensity"/>(yₙ), natural log, each
    /// example's density summed over its T targets.</item>
    /// <item>Coverage_q for q ∈ {0.5, 0.9, 0.95}: the fraction of the N·T entries with |F(y) − ½| ≤ q/2,
    /// where F = <see cref="Predictive.Cdf"/> is the exact CDF of the Gaussian mixture, so the interval is
    /// the mixture's exact central interval (not a moment-matched Gaussian's).</item>
    /// <item>Mean predictive SD: mean over the N·T entries of √(aleatoric + epistemic variance).</item>
    /// </list>
    /// </summary>
    /// <param name="predictive">A regression predictive over N inputs and T targets; not disposed.</param>
    /// <param name="targets">Targets, floating point [N, T]; not disposed.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentException">The predictive is not for regression, is empty, or the targets are not floating point [N, T].</exception>
    public static RegressionScores Compute(Predictive predictive, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        ArgumentNullException.ThrowIfNull(targets);
        if (predictive.Task != TaskKind.Regression)
            throw new ArgumentException("Regression metrics need a regression predictive (member means and variances [S, N, T]); got a classification predictive.", nameof(predictive));
        long n = predictive.Count;
        int width = predictive.Width;
        if (n == 0) throw new ArgumentException("Regression metrics need at least one input; the predictive has N = 0.", nameof(predictive));
        if (targets.dim() != 2 || targets.shape[0] != n || targets.shape[1] != width || !targets.is_floating_point())
            throw new ArgumentException($"Targets must be floating point [{n}, {width}] (N inputs × T targets of the predictive); got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));

        using var scope = NewDisposeScope();
        var y = targets.to_type(ScalarType.Float64);
        var mean = predictive.Mean;
        double rmse = Math.Sqrt((mean - y.to(mean.device)).square().mean().item<double>());
        double logLikelihood = predictive.LogDensity(targets).mean().item<double>();

        var distance = (predictive.Cdf(targets) - 0.5).abs(); // [N, T]
        double Coverage(double q) => distance.le(q / 2).to_type(ScalarType.Float64).mean().item<double>();

        double sd = predictive.StandardDeviation.mean().item<double>();
        return new RegressionScores(rmse, logLikelihood, Coverage(0.5), Coverage(0.9), Coverage(0.95), sd, n);
    }
}
