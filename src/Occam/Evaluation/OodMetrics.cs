using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// Out-of-distribution detection: how well a score separates out-of-distribution inputs
/// (the positives; a higher score means "more OOD") from in-distribution inputs.
/// </summary>
public static class OodMetrics
{
    /// <summary>
    /// Area under the ROC curve for telling out-of-distribution inputs (positives) from
    /// in-distribution ones by a score, higher meaning more OOD. Computed exactly as the
    /// Mann–Whitney statistic P(s_ood &gt; s_in) + ½ P(s_ood = s_in) over all pairs (ties count half),
    /// via average ranks in O((m + n) log(m + n)). 1 = perfect separation, 0.5 = chance, 0 = inverted.
    /// </summary>
    /// <param name="inDistributionScores">Scores of the in-distribution inputs (negatives); not empty, no NaN.</param>
    /// <param name="outOfDistributionScores">Scores of the out-of-distribution inputs (positives); not empty, no NaN.</param>
    /// <returns>The AUROC in [0, 1].</returns>
    /// <exception cref="ArgumentException">Either set is empty or holds a NaN.</exception>
    public static double Auroc(double[] inDistributionScores, double[] outOfDistributionScores)
    {
        ArgumentNullException.ThrowIfNull(inDistributionScores);
        ArgumentNullException.ThrowIfNull(outOfDistributionScores);
        Check(inDistributionScores, nameof(inDistributionScores));
        Check(outOfDistributionScores, nameof(outOfDistributionScores));

        int negatives = inDistributionScores.Length, positives = outOfDistributionScores.Length, total = negatives + positives;
        var scores = new double[total];
        var isPositive = new bool[total];
        inDistributionScores.CopyTo(scores, 0);
        outOfDistributionScores.CopyTo(scores, negatives);
        for (int i = negatives; i < total; i++) isPositive[i] = true;
        Array.Sort(scores, isPositive);

        // Sum of the positives' ranks (1-based), tied runs sharing their average rank.
        double positiveRankSum = 0;
        for (int start = 0; start < total;)
        {
            int end = start;
            while (end + 1 < total && scores[end + 1] == scores[start]) end++;
            double averageRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++)
                if (isPositive[i]) positiveRankSum += averageRank;
            start = end + 1;
        }
        double u = positiveRankSum - positives * (positives + 1.0) / 2;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// AUROC of the predictive entropy (<see cref="Predictive.Entropy"/>, total uncertainty) as the OOD score.
    /// </summary>
    /// <param name="inDistribution">Predictive on in-distribution inputs; not disposed.</param>
    /// <param name="outOfDistribution">Predictive of the same model on OOD inputs; not disposed.</param>
    /// <returns>The AUROC in [0, 1].</returns>
    /// <exception cref="ArgumentException">The predictives differ in task or width, or one is empty.</exception>
    public static double EntropyAuroc(Predictive inDistribution, Predictive outOfDistribution) =>
        ScoreAuroc(inDistribution, outOfDistribution, p => p.Entropy());

    /// <summary>
    /// AUROC of the mutual information between prediction and weights
    /// (<see cref="Predictive.MutualInformation"/>, epistemic uncertainty) as the OOD score.
    /// </summary>
    /// <param name="inDistribution">Predictive on in-distribution inputs; not disposed.</param>
    /// <param name="outOfDistribution">Predictive of the same model on OOD inputs; not disposed.</param>
    /// <returns>The AUROC in [0, 1].</returns>
    /// <exception cref="ArgumentException">The predictives differ in task or width, or one is empty.</exception>
    public static double MutualInformationAuroc(Predictive inDistribution, Predictive outOfDistribution) =>
        ScoreAuroc(inDistribution, outOfDistribution, p => p.MutualInformation());

    private static double ScoreAuroc(Predictive inDistribution, Predictive outOfDistribution, Func<Predictive, Tensor> score)
    {
        ArgumentNullException.ThrowIfNull(inDistribution);
        ArgumentNullException.ThrowIfNull(outOfDistribution);
        if (inDistribution.Task != outOfDistribution.Task || inDistribution.Width != outOfDistribution.Width)
            throw new ArgumentException($"Both predictives must come from the same model: expected {inDistribution.Task} with width {inDistribution.Width}; got {outOfDistribution.Task} with width {outOfDistribution.Width}.", nameof(outOfDistribution));
        using var scope = NewDisposeScope();
        return Auroc(ToArray(score(inDistribution)), ToArray(score(outOfDistribution)));
    }

    private static double[] ToArray(Tensor t) => t.to_type(ScalarType.Float64).cpu().data<double>().ToArray();

    private static void Check(double[] scores, string name)
    {
        if (scores.Length == 0) throw new ArgumentException("Need at least one score in each set.", name);
        if (scores.Any(double.IsNaN)) throw new ArgumentException("Scores must not be NaN.", name);
    }
}
