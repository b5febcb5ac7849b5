namespace Occam.Evaluation.Leaderboards;

/// <summary>A results file of a leaderboard.</summary>
/// <param name="Label">Its label in the tables, e.g. "[1]".</param>
/// <param name="Path">The file or folder as given.</param>
/// <param name="RowsUsed">Its rows in the leaderboard.</param>
/// <param name="RowsReplaced">Its rows replaced by later rows of the same dataset and method.</param>
public sealed record SourceReport(string Label, string Path, int RowsUsed, int RowsReplaced)
{
    /// <summary>One report per results file of <paramref name="results"/>, in their order.</summary>
    public static IReadOnlyList<SourceReport> Of(MergedResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Sources.Select(s => new SourceReport(results.Label(s), s, results.Entries.Count(e => e.Source == s), results.Superseded.Count(x => x.Source == s))).ToList();
    }
}

/// <summary>One row of a dataset's table.</summary>
/// <param name="Rank">Its rank on the dataset (1 = best; ties share the average).</param>
/// <param name="Best">Whether it has the dataset's highest mean test log-likelihood.</param>
/// <param name="Row">The row as <c>bench uci</c> wrote it.</param>
/// <param name="VersusEnsemble">Its outcome against the deep ensemble; null for the ensemble itself or a dataset without one.</param>
/// <param name="Source">The label of its results file.</param>
public sealed record DatasetRowReport(double Rank, bool Best, UciRow Row, Outcome? VersusEnsemble, string Source);

/// <summary>One dataset of a leaderboard.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="MixedSplits">Whether its rows ran different numbers of splits.</param>
/// <param name="Rows">Its rows, best first.</param>
/// <param name="Published">The published results on it, best first (empty when none).</param>
public sealed record DatasetReport(string Dataset, bool MixedSplits, IReadOnlyList<DatasetRowReport> Rows, IReadOnlyList<PublishedResult> Published);

/// <summary>The deep-ensemble comparison: the rule, one sentence per method, the counts and every outcome.</summary>
/// <param name="Rule">How outcomes are decided.</param>
/// <param name="Summary">Per method, e.g. "sgld: better on 1, tie on 2, worse on 2 of 5 datasets".</param>
/// <param name="Tallies">Per method, the counts.</param>
/// <param name="Outcomes">Per dataset and method, the outcome, the difference and the combined standard error.</param>
public sealed record EnsembleReport(string Rule, IReadOnlyList<string> Summary, IReadOnlyList<EnsembleTally> Tallies, IReadOnlyList<EnsembleOutcome> Outcomes);

/// <summary>One dataset's best row against the best published result.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="BestPublishedTestLl">The best published mean test log-likelihood.</param>
/// <param name="PublishedBy">Its source.</param>
/// <param name="Method">The best method here.</param>
/// <param name="TestLlMean">Its mean test log-likelihood.</param>
/// <param name="TestLlSe">Its standard error over splits.</param>
/// <param name="Difference">Its mean minus the published one.</param>
/// <param name="AtOrAbove">Whether it is at or above the published one.</param>
public sealed record PublishedDatasetReport(string Dataset, double BestPublishedTestLl, string PublishedBy, string Method, double TestLlMean, double TestLlSe,
    double Difference, bool AtOrAbove);

/// <summary>The published comparison: K of D datasets at or above the best published test log-likelihood.</summary>
/// <param name="Summary">The sentence, e.g. "At or above the best published test LL on 2 of 5 datasets."</param>
/// <param name="AtOrAbove">K.</param>
/// <param name="Compared">D: datasets with published results.</param>
/// <param name="Datasets">Per compared dataset, the comparison.</param>
public sealed record PublishedReport(string Summary, int AtOrAbove, int Compared, IReadOnlyList<PublishedDatasetReport> Datasets);

/// <summary>What leaderboard.json holds: the content of leaderboard.md, structured.</summary>
/// <param name="Title">The title.</param>
/// <param name="Note">What the ± mean.</param>
/// <param name="RankRule">How methods are ranked.</param>
/// <param name="Ranks">Per method, its mean rank, dataset count and rank per dataset, best first.</param>
/// <param name="Ensemble">The deep-ensemble comparison.</param>
/// <param name="Published">The published comparison.</param>
/// <param name="Datasets">Per dataset, its rows and published results.</param>
/// <param name="Sources">The results files.</param>
/// <param name="Superseded">Rows replaced by later ones.</param>
public sealed record LeaderboardReport(string Title, string Note, string RankRule, IReadOnlyList<MethodRank> Ranks, EnsembleReport Ensemble, PublishedReport Published,
    IReadOnlyList<DatasetReport> Datasets, IReadOnlyList<SourceReport> Sources, IReadOnlyList<SupersededRow> Superseded)
{
    /// <summary>The report of <paramref name="board"/> under <paramref name="title"/>.</summary>
    public static LeaderboardReport From(Leaderboard board, string title)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var results = board.Results;
        var ensemble = new EnsembleReport(LeaderboardSummary.EnsembleRule, board.Ensemble.Tallies.Select(LeaderboardSummary.Tally).ToList(),
            board.Ensemble.Tallies, board.Ensemble.Outcomes);
        var published = new PublishedReport(LeaderboardSummary.Published(board.Published), board.Published.AtOrAbove, board.Published.Datasets.Count,
            board.Published.Datasets.Select(d => new PublishedDatasetReport(d.Dataset, d.Published.TestLl, d.Published.Source, d.Occam.Row.Method,
                d.Occam.Row.TestLlMean, d.Occam.Row.TestLlSe, d.Difference, d.AtOrAbove)).ToList());
        var datasets = board.Datasets.Select(s => new DatasetReport(s.Dataset, s.MixedSplits,
            s.Rows.Select(r => new DatasetRowReport(r.Rank, r.Best, r.Entry.Row, board.Ensemble.Find(s.Dataset, r.Entry.Row.Method)?.Outcome, results.Label(r.Entry.Source))).ToList(),
            PublishedResults.For(s.Dataset))).ToList();
        return new LeaderboardReport(title, LeaderboardSummary.SpreadNote, LeaderboardSummary.RankRule, board.Ranks, ensemble, published, datasets,
            SourceReport.Of(results), results.Superseded);
    }
}
