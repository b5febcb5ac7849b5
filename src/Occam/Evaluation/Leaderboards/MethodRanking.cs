namespace Occam.Evaluation.Leaderboards;

/// <summary>A method's standing over datasets.</summary>
/// <param name="Method">The method.</param>
/// <param name="MeanRank">Its mean rank over the datasets it ran (1 is the best possible).</param>
/// <param name="Ranks">Its rank on each dataset it ran, by dataset name.</param>
public sealed record MethodRank(string Method, double MeanRank, IReadOnlyDictionary<string, double> Ranks)
{
    /// <summary>The number of datasets the method ran.</summary>
    public int Datasets => Ranks.Count;
}

/// <summary>Mean ranks of methods over datasets, from the per-dataset ranks by mean test log-likelihood.</summary>
public static class MethodRanking
{
    /// <summary>
    /// One <see cref="MethodRank"/> per method: its mean rank over the datasets it ran. Sorted by mean rank, then by more
    /// datasets, then by name.
    /// </summary>
    public static IReadOnlyList<MethodRank> Of(IReadOnlyList<DatasetStanding> standings)
    {
        ArgumentNullException.ThrowIfNull(standings);
        var ranks = new Dictionary<string, Dictionary<string, double>>();
        foreach (var standing in standings)
        {
            foreach (var row in standing.Rows)
            {
                var method = row.Entry.Row.Method;
                if (!ranks.TryGetValue(method, out var byDataset)) ranks[method] = byDataset = [];
                byDataset[standing.Dataset] = row.Rank;
            }
        }
        return ranks.Select(m => new MethodRank(m.Key, m.Value.Values.Average(), m.Value))
            .OrderBy(m => m.MeanRank).ThenByDescending(m => m.Datasets).ThenBy(m => m.Method, StringComparer.Ordinal).ToList();
    }
}
