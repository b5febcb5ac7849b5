using Occam.Evaluation.Leaderboards;
using static Occam.Tests.Evaluation.Leaderboards.Rows;

namespace Occam.Tests.Evaluation.Leaderboards;

public sealed class EnsembleComparisonTests
{
    // The ensemble's standard error is 0.375 and the methods' 0.5, so the combined standard error is
    // √(0.140625 + 0.25) = √0.390625 = 0.625 exactly, and the differences below are exact in binary.
    private static Leaderboard Example() => Board(
        Row("X", "ensemble", -1.0, 0.375), Row("X", "p", -0.25, 0.5), Row("X", "q", -1.625, 0.5),
        Row("Y", "ensemble", -1.0, 0.375), Row("Y", "p", -0.375, 0.5), Row("Y", "q", -1.75, 0.5),
        Row("Z", "ensemble", -1.0, 0.375), Row("Z", "p", -1.75, 0.5), Row("Z", "q", -1.0, 0.5),
        Row("W", "p", 9.0, 0.5), Row("W", "q", -9.0, 0.5));

    [Theory]
    [InlineData("X", "p", Outcome.Better, 0.75)] // above by 0.75 > 0.625
    [InlineData("Y", "p", Outcome.Tie, 0.625)] // above by exactly the combined SE: not more, so a tie
    [InlineData("Z", "p", Outcome.Worse, -0.75)] // below by 0.75
    [InlineData("X", "q", Outcome.Tie, -0.625)] // below by exactly the combined SE: a tie
    [InlineData("Y", "q", Outcome.Worse, -0.75)]
    [InlineData("Z", "q", Outcome.Tie, 0.0)]
    public void Outcome_FollowsTheCombinedStandardError(string dataset, string method, Outcome expected, double difference)
    {
        var outcome = Example().Ensemble.Find(dataset, method);
        Assert.NotNull(outcome);
        Assert.Equal(expected, outcome.Outcome);
        Assert.Equal(difference, outcome.Difference);
        Assert.Equal(0.625, outcome.CombinedSe);
    }

    [Fact]
    public void Tallies_CountEachMethod_AndSkipTheDatasetWithoutAnEnsemble()
    {
        var comparison = Example().Ensemble;
        Assert.Null(comparison.Find("W", "p"));
        Assert.DoesNotContain(comparison.Outcomes, o => o.Method == "ensemble");
        Assert.Equal(6, comparison.Outcomes.Count);
        Assert.Equal([new EnsembleTally("p", 1, 1, 1), new EnsembleTally("q", 0, 2, 1)], comparison.Tallies);
        Assert.Equal("p: better on 1, tie on 1, worse on 1 of 3 datasets", LeaderboardSummary.Tally(comparison.Tallies[0]));
        Assert.Equal("q: better on 0, tie on 2, worse on 1 of 3 datasets", LeaderboardSummary.Tally(comparison.Tallies[1]));
    }

    [Fact]
    public void NoEnsembleRow_NoComparison()
    {
        var board = Board(Row("A", "map", -1.0), Row("A", "sgld", -2.0));
        Assert.Empty(board.Ensemble.Outcomes);
        Assert.Empty(board.Ensemble.Tallies);
    }
}
