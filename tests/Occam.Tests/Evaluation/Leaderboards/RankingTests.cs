using Occam.Evaluation.Leaderboards;
using static Occam.Tests.Evaluation.Leaderboards.Rows;

namespace Occam.Tests.Evaluation.Leaderboards;

public sealed class RankingTests
{
    [Fact]
    public void ThreeMethodsTwoDatasets_TiesShareTheAverageRank_MeanRanksAsComputedByHand()
    {
        // Dataset A: a −1.0, b −2.0, c −2.0 → ranks 1, 2.5, 2.5 (b and c share places 2 and 3).
        // Dataset B: a −3.0, b −1.5, c −3.0 → b 1, a and c share places 2 and 3 → 2.5 each.
        // Mean ranks: a (1 + 2.5)/2 = 1.75, b (2.5 + 1)/2 = 1.75, c (2.5 + 2.5)/2 = 2.5; a and b tie, name order.
        var board = Board(Row("A", "a", -1.0), Row("A", "b", -2.0), Row("A", "c", -2.0), Row("B", "a", -3.0), Row("B", "b", -1.5), Row("B", "c", -3.0));

        Assert.Equal(["a", "b", "c"], board.Ranks.Select(r => r.Method));
        Assert.Equal([1.75, 1.75, 2.5], board.Ranks.Select(r => r.MeanRank));
        Assert.All(board.Ranks, r => Assert.Equal(2, r.Datasets));
        Assert.Equal(1.0, board.Ranks[0].Ranks["A"]);
        Assert.Equal(2.5, board.Ranks[0].Ranks["B"]);
        Assert.Equal(2.5, board.Ranks[1].Ranks["A"]);
        Assert.Equal(1.0, board.Ranks[1].Ranks["B"]);

        var a = board.Datasets[0];
        Assert.Equal("A", a.Dataset);
        Assert.Equal(["a", "b", "c"], a.Rows.Select(r => r.Entry.Row.Method));
        Assert.Equal([1.0, 2.5, 2.5], a.Rows.Select(r => r.Rank));
        Assert.Equal([true, false, false], a.Rows.Select(r => r.Best));
        var b = board.Datasets[1];
        Assert.Equal(["b", "a", "c"], b.Rows.Select(r => r.Entry.Row.Method));
        Assert.Equal([1.0, 2.5, 2.5], b.Rows.Select(r => r.Rank));
    }

    [Fact]
    public void AMethodMissingFromADataset_IsRankedOverTheDatasetsItRan()
    {
        // A: a 1, b 2.5, c 2.5 as above; B without c: b 1, a 2. Means: a 1.5, b 1.75, c 2.5 over one dataset.
        var board = Board(Row("A", "a", -1.0), Row("A", "b", -2.0), Row("A", "c", -2.0), Row("B", "a", -3.0), Row("B", "b", -1.5));
        Assert.Equal(["a", "b", "c"], board.Ranks.Select(r => r.Method));
        Assert.Equal([1.5, 1.75, 2.5], board.Ranks.Select(r => r.MeanRank));
        Assert.Equal([2, 2, 1], board.Ranks.Select(r => r.Datasets));
    }

    [Fact]
    public void TwoRowsTiedAtTheTop_AreBothBest_AndShareRankOnePointFive()
    {
        var standing = Board(Row("A", "x", -2.0), Row("A", "y", -1.0), Row("A", "z", -1.0)).Datasets[0];
        Assert.Equal(["y", "z", "x"], standing.Rows.Select(r => r.Entry.Row.Method));
        Assert.Equal([1.5, 1.5, 3.0], standing.Rows.Select(r => r.Rank));
        Assert.Equal([true, true, false], standing.Rows.Select(r => r.Best));
    }

    [Theory]
    [InlineData(new[] { 5.0, 3.0, 3.0, 1.0 }, new[] { 1.0, 2.5, 2.5, 4.0 })]
    [InlineData(new[] { 1.0, 3.0, 2.0 }, new[] { 3.0, 1.0, 2.0 })]
    [InlineData(new[] { 2.0, 2.0, 2.0 }, new[] { 2.0, 2.0, 2.0 })]
    [InlineData(new[] { 0.0, 7.0, 0.0, 7.0, 0.0 }, new[] { 4.0, 1.5, 4.0, 1.5, 4.0 })]
    public void AverageRanks_MatchHandRanks(double[] scores, double[] expected) =>
        Assert.Equal(expected, DatasetStanding.AverageRanks(scores));

    [Fact]
    public void AnUndefinedTestLogLikelihood_RanksLast()
    {
        var standing = Board(Row("A", "nan", double.NaN), Row("A", "poor", -50.0), Row("A", "good", -1.0)).Datasets[0];
        Assert.Equal(["good", "poor", "nan"], standing.Rows.Select(r => r.Entry.Row.Method));
        Assert.Equal([1.0, 2.0, 3.0], standing.Rows.Select(r => r.Rank));
    }

    [Fact]
    public void MixedSplitCounts_AreFlagged()
    {
        var board = Board(Row("A", "a", -1.0) with { Splits = 3 }, Row("A", "b", -2.0), Row("B", "a", -1.0), Row("B", "b", -1.0));
        Assert.True(board.Datasets[0].MixedSplits);
        Assert.False(board.Datasets[1].MixedSplits);
    }
}
