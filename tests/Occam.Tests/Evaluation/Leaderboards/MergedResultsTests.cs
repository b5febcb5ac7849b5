using Occam.Evaluation.Leaderboards;
using static Occam.Tests.Evaluation.Leaderboards.Rows;

namespace Occam.Tests.Evaluation.Leaderboards;

public sealed class MergedResultsTests
{
    [Fact]
    public void ALaterFilesRow_ReplacesTheEarlierOne_InItsPlace()
    {
        var first = new ResultsFile("first.json", [Row("yacht", "map", -2.0), Row("yacht", "ensemble", -1.0), Row("bostonHousing", "map", -2.7)]);
        var second = new ResultsFile("second", [Row("yacht", "map", -1.5), Row("energy", "map", -1.2)]);

        var merged = MergedResults.Merge([first, second]);

        Assert.Equal(["first.json", "second"], merged.Sources);
        Assert.Equal([("yacht", "map"), ("yacht", "ensemble"), ("bostonHousing", "map"), ("energy", "map")],
            merged.Entries.Select(e => (e.Row.Dataset, e.Row.Method)));
        Assert.Equal(-1.5, merged.Entries[0].Row.TestLlMean);
        Assert.Equal(["second", "first.json", "first.json", "second"], merged.Entries.Select(e => e.Source));
        Assert.Equal([new SupersededRow("yacht", "map", "first.json", "second")], merged.Superseded);
        Assert.Equal("[2]", merged.Label("second"));
    }

    [Fact]
    public void TheFilesInTheOtherOrder_KeepTheOtherRow()
    {
        var first = new ResultsFile("a", [Row("yacht", "map", -2.0)]);
        var second = new ResultsFile("b", [Row("yacht", "map", -1.5)]);
        var merged = MergedResults.Merge([second, first]);
        Assert.Equal(-2.0, Assert.Single(merged.Entries).Row.TestLlMean);
        Assert.Equal("a", merged.Entries[0].Source);
    }

    [Fact]
    public void ARepeatedRowWithinOneFile_TheLaterWins()
    {
        var merged = MergedResults.Merge([new ResultsFile("a", [Row("yacht", "map", -2.0), Row("yacht", "map", -1.0)])]);
        Assert.Equal(-1.0, Assert.Single(merged.Entries).Row.TestLlMean);
        Assert.Single(merged.Superseded);
    }

    [Fact]
    public void TheSameMethodOnAnotherDataset_IsNotAReplacement()
    {
        var merged = MergedResults.Merge([new ResultsFile("a", [Row("yacht", "map", -2.0)]), new ResultsFile("b", [Row("energy", "map", -1.0)])]);
        Assert.Equal(2, merged.Entries.Count);
        Assert.Empty(merged.Superseded);
    }
}
