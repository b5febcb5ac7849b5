using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// Reliability diagrams and the calibration errors read from them. Confidences are binned into B
/// equal-width bins over [0, 1]: bin b holds confidences in (b/B, (b+1)/B], and a confidence of
/// exactly 0 goes to the first bin. Edges are compared in float64.
/// </summary>
public static class Reliability
{
    /// <summary>
    /// Bins predictions by confidence. Empty bins have <see cref="ReliabilityBin.Count"/> 0 and NaN
    /// <see cref="ReliabilityBin.MeanConfidence"/> and <see cref="ReliabilityBin.Accuracy"/>.
    /// </summary>
    /// <param name="confidences">Floating-point confidences in [0, 1], shape [N].</param>
    /// <param name="correct">Whether each prediction was right, bool [N].</param>
    /// <param name="bins">Number of equal-width bins B (at least 1).</param>
    /// <returns>The B bins, lowest confidence first.</returns>
    public static ReliabilityBin[] Bins(Tensor confidences, Tensor correct, int bins = 15)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (confidences.dim() != 1 || !confidences.is_floating_point())
            throw new ArgumentException($"Confidences must be a floating-point vector [N]; got {confidences.dtype} [{Shape(confidences)}].", nameof(confidences));
        long n = confidences.shape[0];
        if (correct.dim() != 1 || correct.shape[0] != n || correct.dtype != ScalarType.Bool)
            throw new ArgumentException($"Correctness must be bool [{n}]; got {correct.dtype} [{Shape(correct)}].", nameof(correct));

        using var scope = NewDisposeScope();
        var c = confidences.to_type(ScalarType.Float64);
        if (n > 0 && !(c.min().item<double>() >= 0 && c.max().item<double>() <= 1))
            throw new ArgumentException("Confidences must lie in [0, 1] (and not be NaN).", nameof(confidences));

        var inner = Enumerable.Range(1, bins - 1).Select(b => (double)b / bins).ToArray();
        var index = bucketize(c, tensor(inner, ScalarType.Float64).to(c.device), right: false);
        var counts = bincount(index, null, bins).to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var confSums = bincount(index, c, bins).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var hits = bincount(index, correct.to(c.device).to_type(ScalarType.Float64), bins).to_type(ScalarType.Float64).cpu().data<double>().ToArray();

        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            long k = counts[b];
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, k,
                k == 0 ? double.NaN : confSums[b] / k, k == 0 ? double.NaN : hits[b] / k);
        }
        return result;
    }

    /// <summary>
    /// Expected calibration error Σ_b (n_b / N) |acc_b − conf_b| over the non-empty bins,
    /// where N = Σ_b n_b. Zero when every bin is empty.
    /// </summary>
    /// <param name="bins">Bins from <see cref="Bins"/>.</param>
    /// <returns>The ECE, in [0, 1].</returns>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => b.Count);
        if (total == 0) return 0;
        return bins.Where(b => b.Count > 0).Sum(b => (double)b.Count / total * Math.Abs(b.Accuracy - b.MeanConfidence));
    }

    /// <summary>
    /// Maximum calibration error max_b |acc_b − conf_b| over the non-empty bins. Zero when every bin is empty.
    /// </summary>
    /// <param name="bins">Bins from <see cref="Bins"/>.</param>
    /// <returns>The MCE, in [0, 1].</returns>
    public static double MaximumCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        return bins.Where(b => b.Count > 0).Select(b => Math.Abs(b.Accuracy - b.MeanConfidence)).DefaultIfEmpty(0).Max();
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
