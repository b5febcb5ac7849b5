namespace Occam.Evaluation;

/// <summary>Classification metrics of a predictive on labelled inputs; see <see cref="ClassificationMetrics.Compute"/>.</summary>
/// <param name="Accuracy">Fraction of inputs whose argmax averaged probability (ties → lowest class index) is the label.</param>
/// <param name="Top5Accuracy">Fraction of inputs whose label is among the 5 most probable classes; null when there are at most 5 classes.</param>
/// <param name="Nll">Negative log predictive density −(1/N) Σ log p(y|x, D), in nats per input.</param>
/// <param name="Ece">Expected calibration error of the top-label confidence (equal-width bins).</param>
/// <param name="Mce">Maximum calibration error over the non-empty bins.</param>
/// <param name="Brier">Brier score (1/N) Σ_n Σ_c (p_c − 1[c = y])², summed over classes, in [0, 2].</param>
/// <param name="Count">Number of inputs N.</param>
/// <param name="Reliability">The reliability diagram the ECE and MCE were read from (empty bins have NaN means).</param>
public sealed record ClassificationScores(
    double Accuracy,
    double? Top5Accuracy,
    double Nll,
    double Ece,
    double Mce,
    double Brier,
    long Count,
    ReliabilityBin[] Reliability);
