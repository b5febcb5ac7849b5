namespace Occam.Evaluation.Leaderboards;

/// <summary>
/// A leaderboard of UCI regression results: per dataset the rows best first, mean ranks of the methods over datasets,
/// every method against the deep ensemble within the combined standard error, and the best rows against the best
/// published results. All orderings use the mean test log-likelihood.
/// </summary>
/// <param name="Results">The merged rows, their files and the rows later ones replaced.</param>
/// <param name="Datasets">Per dataset (in order of first appearance), its rows best first with their ranks.</param>
/// <param name="Ranks">Per method, its mean rank over the datasets it ran, best first.</param>
/// <param name="Ensemble">Every method against the deep ensemble.</param>
/// <param name="Published">The best rows against the best published results.</param>
public sealed record Leaderboard(MergedResults Results, IReadOnlyList<DatasetStanding> Datasets, IReadOnlyList<MethodRank> Ranks,
    EnsembleComparison Ensemble, PublishedComparison Published)
{
    /// <summary>Builds the leaderboard of <paramref name="files"/>' rows (a later row of the same dataset and method replaces an earlier one).</summary>
    /// <exception cref="ArgumentException">The files hold no rows.</exception>
    public static Leaderboard Build(IReadOnlyList<ResultsFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var merged = MergedResults.Merge(files);
        if (merged.Entries.Count == 0) throw new ArgumentException("Expected at least one row of occam bench uci; the results hold none.", nameof(files));
        var datasets = DatasetStanding.Of(merged.Entries);
        return new Leaderboard(merged, datasets, MethodRanking.Of(datasets), EnsembleComparison.Of(datasets), PublishedComparison.Of(datasets));
    }
}
