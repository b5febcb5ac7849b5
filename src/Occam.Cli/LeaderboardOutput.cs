using System.Globalization;
using Occam.Evaluation.Leaderboards;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Writes a leaderboard: leaderboard.md, leaderboard.json, test-ll-DATASET.png per dataset and ranks.png, and prints its summary.</summary>
internal static class LeaderboardOutput
{
    /// <summary>The Markdown file's name.</summary>
    public const string MarkdownName = "leaderboard.md";

    /// <summary>The JSON file's name.</summary>
    public const string JsonName = "leaderboard.json";

    /// <summary>The mean-rank plot's name.</summary>
    public const string RanksPlotName = "ranks.png";

    /// <summary>Writes every file of <paramref name="board"/> into <paramref name="directory"/> and prints the ranks and the comparisons.</summary>
    public static void Write(CliEnvironment env, string directory, Leaderboard board, string title)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, MarkdownName), LeaderboardMarkdown.Render(board, title));
        JsonReport.Write(Path.Combine(directory, JsonName), LeaderboardReport.From(board, title));
        var names = PlotNames(board.Datasets.Select(d => d.Dataset).ToList());
        foreach (var standing in board.Datasets)
        {
            var scores = standing.Rows.Select(r => new MethodScore(r.Entry.Row.Method, r.Entry.Row.TestLlMean, r.Entry.Row.TestLlSe)).ToList();
            var references = PublishedResults.For(standing.Dataset).Select(p => new ReferenceValue(p.Source, p.TestLl)).ToList();
            MethodScorePlot.Save(Path.Combine(directory, names[standing.Dataset]), scores, references, $"{standing.Dataset}: test log-likelihood",
                "mean test log-likelihood per example (± 1 SE over splits)");
        }
        MeanRankPlot.Save(Path.Combine(directory, RanksPlotName),
            board.Ranks.Select(m => $"{m.Method} ({m.Datasets.ToString(CultureInfo.InvariantCulture)})").ToArray(), board.Ranks.Select(m => m.MeanRank).ToArray(),
            $"{title}: mean rank (datasets run)");
        Print(env.Console, board);
    }

    /// <summary>
    /// The plot file of each dataset: test-ll-DATASET.png, with characters other than letters, digits, '.', '-' and '_'
    /// replaced by '_', and "-2", "-3", … added when two datasets would share a name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PlotNames(IReadOnlyList<string> datasets)
    {
        var names = new Dictionary<string, string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var dataset in datasets)
        {
            var safe = new string(dataset.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
            var name = $"test-ll-{safe}.png";
            for (int k = 2; !taken.Add(name); k++) name = $"test-ll-{safe}-{k.ToString(CultureInfo.InvariantCulture)}.png";
            names[dataset] = name;
        }
        return names;
    }

    private static void Print(IAnsiConsole console, Leaderboard board)
    {
        var table = new Table().Title("mean rank by test log-likelihood (1 = best)");
        foreach (var h in new[] { "method", "mean rank", "datasets" }) table.AddColumn(h);
        foreach (var m in board.Ranks)
            table.AddRow(Markup.Escape(m.Method), Format.Number(m.MeanRank, 2), m.Datasets.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        if (board.Ensemble.Tallies.Count > 0) console.MarkupLine("against the deep ensemble (within the combined standard error):");
        foreach (var tally in board.Ensemble.Tallies) console.MarkupLine("  " + Markup.Escape(LeaderboardSummary.Tally(tally)));
        console.MarkupLine(Markup.Escape(LeaderboardSummary.Published(board.Published)));
    }
}
