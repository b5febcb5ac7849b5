using System.Globalization;
using System.Text;
using Occam.Reporting;

namespace Occam.Evaluation.Leaderboards;

/// <summary>Renders a <see cref="Leaderboard"/> as Markdown: ranks, the deep-ensemble comparison, the published comparison, one table per dataset and the sources.</summary>
public static class LeaderboardMarkdown
{
    /// <summary>The Markdown text of <paramref name="board"/> under the heading <paramref name="title"/>.</summary>
    public static string Render(Leaderboard board, string title)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var text = new StringBuilder();
        int methods = board.Ranks.Count;
        text.Append($"# {title}\n\n")
            .Append($"{board.Results.Entries.Count} rows: {Count(board.Datasets.Count, "dataset")}, {Count(methods, "method")}, from {Count(board.Results.Sources.Count, "results file")} (see Sources). ")
            .Append("Test LL is the mean test log-likelihood per example (higher is better) and RMSE the mean test RMSE, both in the targets' original units. ")
            .Append(LeaderboardSummary.SpreadNote).Append("\n\n");
        Ranks(text, board);
        Ensemble(text, board);
        Published(text, board);
        text.Append("## Per dataset\n\n");
        foreach (var standing in board.Datasets) Dataset(text, board, standing);
        Sources(text, board);
        return text.ToString();
    }

    private static void Ranks(StringBuilder text, Leaderboard board)
    {
        var datasets = board.Datasets.Select(d => d.Dataset).ToList();
        var table = new MarkdownTable(["method", "mean rank", "datasets", .. datasets], [false, true, true, .. datasets.Select(_ => true)]);
        foreach (var m in board.Ranks)
            table.AddRow([m.Method, Format.Number(m.MeanRank, 2), m.Datasets.ToString(CultureInfo.InvariantCulture),
                .. datasets.Select(d => m.Ranks.TryGetValue(d, out var r) ? LeaderboardSummary.Rank(r) : "")]);
        text.Append("## Mean rank\n\n").Append(LeaderboardSummary.RankRule).Append("\n\n").Append(table).Append('\n');
    }

    private static void Ensemble(StringBuilder text, Leaderboard board)
    {
        text.Append("## Against the deep ensemble\n\n").Append(LeaderboardSummary.EnsembleRule).Append("\n\n");
        var compared = board.Datasets.Where(d => d.Find(EnsembleComparison.EnsembleMethod) is not null).Select(d => d.Dataset).ToList();
        if (compared.Count == 0)
        {
            text.Append("No dataset has an `ensemble` row, so there is no comparison.\n\n");
            return;
        }
        if (board.Ensemble.Tallies.Count == 0)
        {
            text.Append("The ensemble is the only method on the datasets it ran.\n\n");
            return;
        }
        foreach (var tally in board.Ensemble.Tallies) text.Append("- ").Append(LeaderboardSummary.Tally(tally)).Append('\n');
        text.Append('\n');
        var table = new MarkdownTable(["method", .. compared]);
        foreach (var tally in board.Ensemble.Tallies)
            table.AddRow([tally.Method, .. compared.Select(d => board.Ensemble.Find(d, tally.Method) is { } o ? LeaderboardSummary.Word(o.Outcome) : "")]);
        text.Append(table).Append('\n');
    }

    private static void Published(StringBuilder text, Leaderboard board)
    {
        text.Append("## Against published results\n\n")
            .Append("Published one-hidden-layer results on the same protocol: ").Append(string.Join("; ", PublishedResults.Sources)).Append(". ")
            .Append("Each dataset's best published mean test LL against the best row here.\n\n");
        var comparison = board.Published;
        if (comparison.Datasets.Count > 0)
        {
            var table = new MarkdownTable(["dataset", "best published test LL", "published by", "best here", "method", "difference", "at or above"],
                [false, true, false, true, false, true, false]);
            foreach (var d in comparison.Datasets)
                table.AddRow(d.Dataset, Format.MeanSe(d.Published.TestLl, d.Published.TestLlSpread, 2), d.Published.Source,
                    Format.MeanSe(d.Occam.Row.TestLlMean, d.Occam.Row.TestLlSe, 3), d.Occam.Row.Method, Signed(d.Difference), d.AtOrAbove ? "yes" : "no");
            text.Append(table).Append('\n');
        }
        text.Append(LeaderboardSummary.Published(comparison)).Append("\n\n");
    }

    private static void Dataset(StringBuilder text, Leaderboard board, DatasetStanding standing)
    {
        text.Append($"### {standing.Dataset}\n\n");
        if (standing.MixedSplits)
            text.Append($"The rows ran different numbers of splits ({string.Join(", ", standing.Rows.Select(r => r.Entry.Row.Splits).Distinct().Order())}), so their means are not over the same splits.\n\n");
        var table = new MarkdownTable(["rank", "method", "splits", "test LL", "RMSE", "95% coverage", "seconds", "vs ensemble", "source"],
            [true, false, true, true, true, true, true, false, false]);
        foreach (var row in standing.Rows)
        {
            var r = row.Entry.Row;
            var outcome = board.Ensemble.Find(standing.Dataset, r.Method);
            table.AddRow(LeaderboardSummary.Rank(row.Rank), row.Best ? $"**{r.Method}** (best)" : r.Method, r.Splits.ToString(CultureInfo.InvariantCulture),
                Format.MeanSe(r.TestLlMean, r.TestLlSe, 3), Format.MeanSe(r.RmseMean, r.RmseSe, 3), Format.Number(r.Coverage95Mean, 3), Format.Number(r.Seconds, 1),
                outcome is null ? "" : LeaderboardSummary.Word(outcome.Outcome), board.Results.Label(row.Entry.Source));
        }
        text.Append(table).Append('\n');
        var published = PublishedResults.For(standing.Dataset);
        if (published.Count > 0)
        {
            text.Append("Published (± as printed):\n\n");
            foreach (var p in published)
                text.Append($"- {p.Source}: test LL {Format.MeanSe(p.TestLl, p.TestLlSpread, 2)}, RMSE {Format.MeanSe(p.Rmse, p.RmseSpread, 2)}\n");
            text.Append('\n');
        }
    }

    private static void Sources(StringBuilder text, Leaderboard board)
    {
        var results = board.Results;
        text.Append("## Sources\n\n");
        foreach (var source in SourceReport.Of(results))
            text.Append($"{source.Label} `{source.Path}`: {Count(source.RowsUsed, "row")} used")
                .Append(source.RowsReplaced > 0 ? $", {source.RowsReplaced} replaced by later rows" : "").Append("\n\n");
        if (results.Superseded.Count == 0) return;
        text.Append("When a dataset and method appear more than once, the later row is used:\n\n");
        foreach (var s in results.Superseded)
            text.Append($"- {s.Dataset} {s.Method}: {results.Label(s.ReplacedBy)} replaces {results.Label(s.Source)}\n");
        text.Append('\n');
    }

    private static string Signed(double value) => (value > 0 ? "+" : "") + Format.Number(value, 3);

    private static string Count(int count, string noun) => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";
}
