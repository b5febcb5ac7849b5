namespace Occam.Evaluation.Leaderboards;

/// <summary>One method's row on one dataset of a leaderboard, with its rank there.</summary>
/// <param name="Entry">The row and its source.</param>
/// <param name="Rank">Its rank by mean test log-likelihood among the dataset's rows: 1 is the best; tied rows share the average of their places.</param>
/// <param name="Best">Whether no row on the dataset has a higher mean test log-likelihood.</param>
public sealed record StandingRow(LeaderboardEntry Entry, double Rank, bool Best);

/// <summary>The rows of one dataset, best mean test log-likelihood first.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Rows">Its rows, sorted by <see cref="LeaderboardEntry.Score"/> from best to worst (tied rows keep their order of appearance).</param>
public sealed record DatasetStanding(string Dataset, IReadOnlyList<StandingRow> Rows)
{
    /// <summary>Whether the dataset's rows ran different numbers of splits (so their means are not over the same splits).</summary>
    public bool MixedSplits => Rows.Select(r => r.Entry.Row.Splits).Distinct().Count() > 1;

    /// <summary>The row of <paramref name="method"/>, or null when it did not run on this dataset.</summary>
    public StandingRow? Find(string method) => Rows.FirstOrDefault(r => r.Entry.Row.Method == method);

    /// <summary>Groups <paramref name="entries"/> by dataset (in order of first appearance) and ranks each dataset's rows.</summary>
    public static IReadOnlyList<DatasetStanding> Of(IReadOnlyList<LeaderboardEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.GroupBy(e => e.Row.Dataset).Select(group =>
        {
            var sorted = group.OrderByDescending(e => e.Score).ToList();
            var ranks = AverageRanks(sorted.Select(e => e.Score).ToList());
            double best = sorted[0].Score;
            return new DatasetStanding(group.Key, sorted.Select((e, i) => new StandingRow(e, ranks[i], e.Score == best)).ToList());
        }).ToList();
    }

    /// <summary>
    /// Ranks <paramref name="scores"/> from the highest (rank 1) down; equal scores share the average of the places they
    /// occupy, so 5, 3, 3, 1 rank 1, 2.5, 2.5, 4.
    /// </summary>
    /// <returns>One rank per score, in the order given.</returns>
    public static double[] AverageRanks(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            double shared = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = shared;
            start = end + 1;
        }
        return ranks;
    }
}
