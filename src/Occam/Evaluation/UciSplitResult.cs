namespace Occam.Evaluation;

/// <summary>The scores of one prediction variant on one UCI split, in the original target units.</summary>
/// <param name="Label">The variant's label (e.g. "ivon@mean").</param>
/// <param name="TestLogLikelihood">Average test log-likelihood per example.</param>
/// <param name="Rmse">Test RMSE.</param>
/// <param name="Coverage95">Fraction of test targets inside the central 95% interval.</param>
public sealed record UciVariantScore(string Label, double TestLogLikelihood, double Rmse, double Coverage95);

/// <summary>One method fitted on one split of a UCI dataset: what <see cref="UciProtocol.Summarise"/> needs to make the rows.</summary>
/// <param name="Dataset">Dataset folder name.</param>
/// <param name="Split">The split index.</param>
/// <param name="Method">The fitted method's name.</param>
/// <param name="Variants">The scores of each prediction variant, in the run's order.</param>
/// <param name="Seconds">Wall time of the fit and the predictions.</param>
/// <param name="EvidencePerPoint">Log marginal likelihood per training point for posteriors that know it; null otherwise.</param>
/// <param name="Convergence">For sampled posteriors: the split's convergence summary; null otherwise.</param>
public sealed record UciSplitResult(string Dataset, int Split, string Method, IReadOnlyList<UciVariantScore> Variants, double Seconds,
    double? EvidencePerPoint, UciConvergence? Convergence)
{
    /// <summary>Under the tuned protocol (<see cref="UciTuning"/>): the setting chosen on this split; null under the fixed protocol.</summary>
    public UciTuningChoice? Tuning { get; init; }
}
