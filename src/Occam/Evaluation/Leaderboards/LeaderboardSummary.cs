using Occam.Reporting;

namespace Occam.Evaluation.Leaderboards;

/// <summary>The plain sentences a leaderboard states, shared by its Markdown and JSON.</summary>
public static class LeaderboardSummary
{
    /// <summary>What the ± mean and why published values are compared by their means.</summary>
    public const string SpreadNote =
        "Occam's ± is the standard error of the mean over splits. The papers print larger ± (about a standard deviation over splits), "
        + "so compare means, not intervals.";

    /// <summary>How methods are ranked.</summary>
    public const string RankRule =
        "On each dataset the methods are ranked by mean test log-likelihood (1 = best; tied means share the average of their places). "
        + "A method's mean rank is over the datasets it ran.";

    /// <summary>How a method is compared with the deep ensemble.</summary>
    public const string EnsembleRule =
        "A method is better than the deep ensemble (the `ensemble` row) on a dataset when its mean test log-likelihood exceeds the ensemble's "
        + "by more than the combined standard error √(se₁² + se₂²), worse when it falls below by more than that, and tied otherwise. "
        + "Datasets without an ensemble row are left out.";

    /// <summary>E.g. "sgld: better on 1, tie on 2, worse on 2 of 5 datasets".</summary>
    public static string Tally(EnsembleTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return $"{tally.Method}: better on {tally.Better}, tie on {tally.Tie}, worse on {tally.Worse} of {Datasets(tally.Datasets)}";
    }

    /// <summary>E.g. "at or above the best published test LL on 2 of 5 datasets", or why there is no comparison.</summary>
    public static string Published(PublishedComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return comparison.Datasets.Count == 0
            ? "No dataset of the leaderboard has published results in the table."
            : $"At or above the best published test LL on {comparison.AtOrAbove} of {Datasets(comparison.Datasets.Count)}.";
    }

    /// <summary>A rank as it reads: "2" or "2.5".</summary>
    public static string Rank(double rank) => Format.Number(rank, rank == Math.Floor(rank) ? 0 : 1);

    /// <summary>The lower-case word of an outcome.</summary>
    public static string Word(Outcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string Datasets(int count) => count == 1 ? "1 dataset" : $"{count} datasets";
}
