using Occam.Evaluation;
using Occam.Evaluation.Leaderboards;

namespace Occam.Tests.Evaluation.Leaderboards;

/// <summary>Hand-made leaderboard rows: only the dataset, method and test log-likelihood matter to the tests.</summary>
internal static class Rows
{
    public static UciRow Row(string dataset, string method, double testLl, double se = 0.1) =>
        new(dataset, method, 20, testLl, se, 1.0, 0.1, 0.95, 1.0);

    public static Leaderboard Board(params UciRow[] rows) => Leaderboard.Build([new ResultsFile("results.json", rows)]);
}
