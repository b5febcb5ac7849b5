using System.CommandLine;
using Occam.Evaluation.Leaderboards;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench leaderboard --results A,B --out DIR</c>: merges the results.json files of <c>bench uci</c> (a later row of
/// the same dataset and method wins) into a leaderboard: per-dataset tables, mean ranks, every method against the deep
/// ensemble, the best rows against published results, and plots.
/// </summary>
public static class BenchLeaderboardCommand
{
    /// <summary>The title unless --title gives one.</summary>
    public const string DefaultTitle = "UCI regression leaderboard";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var results = new Option<string>("--results") { Description = "Comma-separated results.json files of bench uci (or folders holding one); a later file's row of the same dataset and method replaces an earlier one", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder: leaderboard.md, leaderboard.json, test-ll-DATASET.png, ranks.png (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-out/leaderboard" };
        var title = new Option<string>("--title") { Description = "Title of the leaderboard", DefaultValueFactory = _ => DefaultTitle };
        var command = new Command("leaderboard", "Merge results.json files of bench uci into a leaderboard: per-dataset tables, mean ranks, each method against the deep ensemble within the combined standard error, and against published results")
        {
            results, output, title,
        };
        command.SetAction(parsed =>
        {
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var paths = parsed.GetValue(results)!.Split(',', StringSplitOptions.TrimEntries);
            if (paths.Any(p => p.Length == 0)) throw new ArgumentException("--results expects comma-separated paths of results.json files or folders holding one, without empty entries");
            var heading = parsed.GetValue(title)!.Trim();
            if (heading.Length == 0) throw new ArgumentException("--title must not be empty");
            var board = Leaderboard.Build(paths.Select(ResultsFile.Read).ToList());
            LeaderboardOutput.Write(env, folder.Path, board, heading);
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: {LeaderboardOutput.MarkdownName}, {LeaderboardOutput.JsonName}, {board.Datasets.Count} test-LL plots and {LeaderboardOutput.RanksPlotName}");
            return 0;
        });
        return command;
    }
}
