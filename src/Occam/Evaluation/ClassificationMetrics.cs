using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// Accuracy, log-likelihood, Brier score and calibration of a classification predictive.
/// All metrics use the Bayesian model average p = (1/S) Σₛ pₛ, never the members' mean log-probabilities.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// Computes the metrics of <paramref name="predictive"/> against <paramref name="labels"/>.
    /// <list type="bullet">
    /// <item>Accuracy: the prediction is argmax of the averaged probabilities, ties going to the lowest class index (as torch.argmax).</item>
    /// <item>Top-5 accuracy: the label is among the 5 largest averaged probabilities (torch.topk); null when C ≤ 5.</item>
    /// <item>NLL: −(1/N) Σₙ <see cref="Predictive.LogDensity"/>(yₙ), natural log.</item>
    /// <item>Brier: (1/N) Σₙ Σ_c (p_c − 1[c = yₙ])², summed over classes, so in [0, 2].</item>
    /// <item>ECE / MCE: top-label confidence max_c p_c in B equal-width bins over [0, 1], bin b holding
    /// (b/B, (b+1)/B] and confidence 0 going to the first bin; ECE = Σ_b (n_b/N)|acc_b − conf_b|,
    /// MCE = max over non-empty bins (see <see cref="Reliability"/>).</item>
    /// </list>
    /// </summary>
    /// <param name="predictive">A classification predictive over N inputs and C classes; not disposed.</param>
    /// <param name="labels">Class labels int64 [N] in 0..C−1; not disposed.</param>
    /// <param name="bins">Number of calibration bins B (default 15).</param>
    /// <returns>The scores, with the reliability diagram.</returns>
    /// <exception cref="ArgumentException">The predictive is not for classification, is empty, or the labels are not int64 [N] in range.</exception>
    public static ClassificationScores Compute(Predictive predictive, Tensor labels, int bins = 15)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (predictive.Task != TaskKind.Classification)
            throw new ArgumentException("Classification metrics need a classification predictive (member log-probabilities [S, N, C]); got a regression predictive.", nameof(predictive));
        long n = predictive.Count;
        int classes = predictive.Width;
        if (n == 0) throw new ArgumentException("Classification metrics need at least one input; the predictive has N = 0.", nameof(predictive));
        if (labels.dim() != 1 || labels.shape[0] != n || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be int64 [{n}] (one per input of the predictive); got {labels.dtype} [{string.Join(", ", labels.shape)}].", nameof(labels));

        using var scope = NewDisposeScope();
        if (labels.min().item<long>() < 0 || labels.max().item<long>() >= classes)
            throw new ArgumentException($"Labels must lie in 0..{classes - 1}.", nameof(labels));

        var probabilities = predictive.Probabilities; // [N, C] float64
        var y = labels.to(probabilities.device);
        var confidence = probabilities.amax(new long[] { 1 });
        var correct = probabilities.argmax(1).eq(y);
        double accuracy = correct.to_type(ScalarType.Float64).mean().item<double>();

        double? top5 = null;
        if (classes > 5)
        {
            var (_, top) = probabilities.topk(5, dim: 1);
            top5 = top.eq(y.unsqueeze(1)).any(1).to_type(ScalarType.Float64).mean().item<double>();
        }

        double nll = -predictive.LogDensity(labels).mean().item<double>();

        // Σ_c (p_c − 1[c = y])² = Σ_c p_c² − 2 p_y + 1.
        var pTrue = probabilities.gather(1, y.unsqueeze(1)).squeeze(1);
        double brier = (probabilities.square().sum(1) - 2 * pTrue + 1).mean().item<double>();

        var reliability = Reliability.Bins(confidence, correct, bins);
        return new ClassificationScores(accuracy, top5, nll,
            Reliability.ExpectedCalibrationError(reliability),
            Reliability.MaximumCalibrationError(reliability),
            brier, n, reliability);
    }
}
