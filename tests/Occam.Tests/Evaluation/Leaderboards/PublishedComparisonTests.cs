using Occam.Evaluation.Leaderboards;
using static Occam.Tests.Evaluation.Leaderboards.Rows;

namespace Occam.Tests.Evaluation.Leaderboards;

public sealed class PublishedComparisonTests
{
    [Fact]
    public void BestRowPerDataset_AgainstTheBestPublished_CountsKOfD()
    {
        // yacht: best here −1.18 equals the deep ensembles' −1.18 → at. bostonHousing: −2.40 < −2.39 → below.
        // concrete: −2.90 > −2.94 → above (by 0.04). my-data has no published results and is not counted.
        var board = Board(
            Row("yacht", "map", -2.0), Row("yacht", "ensemble", -1.18),
            Row("bostonHousing", "ensemble", -2.40), Row("bostonHousing", "map", -2.7),
            Row("concrete", "sgld", -2.90), Row("concrete", "ensemble", -3.0),
            Row("my-data", "ensemble", 3.0));
        var comparison = board.Published;

        Assert.Equal(["yacht", "bostonHousing", "concrete"], comparison.Datasets.Select(d => d.Dataset));
        Assert.Equal([true, false, true], comparison.Datasets.Select(d => d.AtOrAbove));
        Assert.Equal(["ensemble", "ensemble", "sgld"], comparison.Datasets.Select(d => d.Occam.Row.Method));
        Assert.Equal([-1.18, -2.39, -2.94], comparison.Datasets.Select(d => d.Published.TestLl));
        Assert.Equal(0.04, comparison.Datasets[2].Difference, 12);
        Assert.Equal(-0.01, comparison.Datasets[1].Difference, 12);
        Assert.Equal(2, comparison.AtOrAbove);
        Assert.Equal("At or above the best published test LL on 2 of 3 datasets.", LeaderboardSummary.Published(comparison));
    }

    [Fact]
    public void OnlyUsersDatasets_NoComparison()
    {
        var comparison = Board(Row("my-data", "map", -1.0)).Published;
        Assert.Empty(comparison.Datasets);
        Assert.Equal("No dataset of the leaderboard has published results in the table.", LeaderboardSummary.Published(comparison));
    }
}
