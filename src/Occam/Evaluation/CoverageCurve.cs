using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>How often targets fall inside the predictive's central intervals, across nominal masses: a calibration curve for regression.</summary>
public static class CoverageCurve
{
    /// <summary>The nominal masses 0.05, 0.10, …, 0.95 and 0.99.</summary>
    public static IReadOnlyList<double> DefaultLevels { get; } = [.. Enumerable.Range(1, 19).Select(i => i * 0.05), 0.99];

    /// <summary>The fraction of the N·T targets inside the exact central interval of each mass (via the mixture CDF, as <see cref="RegressionMetrics"/> does).</summary>
    public static double[] Compute(Predictive predictive, Tensor targets, IReadOnlyList<double>? levels = null)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        ArgumentNullException.ThrowIfNull(targets);
        levels ??= DefaultLevels;
        using var scope = NewDisposeScope();
        var distance = (predictive.Cdf(targets) - 0.5).abs();
        return levels.Select(q => distance.le(q / 2).to_type(ScalarType.Float64).mean().item<double>()).ToArray();
    }
}
