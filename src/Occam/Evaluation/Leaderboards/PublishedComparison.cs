namespace Occam.Evaluation.Leaderboards;

/// <summary>Occam's best row on one dataset against the best published test log-likelihood there.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Published">The published result with the highest test log-likelihood.</param>
/// <param name="Occam">The leaderboard's best row on the dataset.</param>
public sealed record PublishedStanding(string Dataset, PublishedResult Published, LeaderboardEntry Occam)
{
    /// <summary>Occam's mean minus the published mean.</summary>
    public double Difference => Occam.Score - Published.TestLl;

    /// <summary>Whether Occam's best mean test log-likelihood is at or above the best published one.</summary>
    public bool AtOrAbove => Occam.Score >= Published.TestLl;
}

/// <summary>The leaderboard's best rows against the best published results, on the datasets that have both.</summary>
/// <param name="Datasets">One standing per dataset with published results, in the standings' order.</param>
public sealed record PublishedComparison(IReadOnlyList<PublishedStanding> Datasets)
{
    /// <summary>The number of datasets where Occam's best is at or above the best published test log-likelihood.</summary>
    public int AtOrAbove => Datasets.Count(d => d.AtOrAbove);

    /// <summary>Compares the best row of every dataset in <paramref name="standings"/> that <see cref="PublishedResults"/> covers.</summary>
    public static PublishedComparison Of(IReadOnlyList<DatasetStanding> standings)
    {
        ArgumentNullException.ThrowIfNull(standings);
        return new PublishedComparison(standings
            .Where(s => PublishedResults.Best(s.Dataset) is not null)
            .Select(s => new PublishedStanding(s.Dataset, PublishedResults.Best(s.Dataset)!, s.Rows[0].Entry))
            .ToList());
    }
}
