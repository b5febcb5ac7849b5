namespace Occam.Active;

/// <summary>A quantity along a learning curve, over seeds: per round its mean, standard deviation (n − 1; 0 for one seed), minimum and maximum.</summary>
public sealed record CurveStatistics(double[] Mean, double[] Sd, double[] Min, double[] Max);

/// <summary>Labels needed to reach a test error: on the seed-averaged curve and per seed (null where it was not reached).</summary>
/// <param name="Error">The test error threshold (e.g. 0.10).</param>
/// <param name="Labels">First labelled-set size where the mean error over seeds is at most <paramref name="Error"/>.</param>
/// <param name="Acquired">The same minus the initial labels.</param>
/// <param name="PerSeedAcquired">Per seed: acquired labels at the first round with error at most the threshold.</param>
public sealed record LabelsToError(double Error, int? Labels, int? Acquired, int?[] PerSeedAcquired);

/// <summary>The learning curves of one method and one acquisition function over seeds.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Acquisition">Acquisition function name.</param>
/// <param name="Seeds">The seeds summarised.</param>
/// <param name="Labels">Labelled-set size per round (the rounds every seed finished).</param>
/// <param name="Metrics">Per metric ("accuracy", "nll" or "rmse", "test_ll"): its statistics per round.</param>
/// <param name="Thresholds">Classification: labels needed to reach each requested test error.</param>
public sealed record CurveSummary(string Method, string Acquisition, long[] Seeds, int[] Labels, IReadOnlyDictionary<string, CurveStatistics> Metrics,
    IReadOnlyList<LabelsToError> Thresholds)
{
    /// <summary>Labels of the initial set (the first round's).</summary>
    public int Initial => Labels.Length > 0 ? Labels[0] : 0;
}
