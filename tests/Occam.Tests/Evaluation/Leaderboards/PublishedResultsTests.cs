using Occam.Evaluation.Leaderboards;

namespace Occam.Tests.Evaluation.Leaderboards;

public sealed class PublishedResultsTests
{
    private static readonly string[] Datasets =
        ["yacht", "bostonHousing", "concrete", "energy", "naval-propulsion-plant", "protein-tertiary-structure", "wine-quality-red"];

    [Fact]
    public void Table_HoldsSevenDatasetsTimesThreeSources_EachOnce()
    {
        Assert.Equal(21, PublishedResults.All.Count);
        Assert.Equal(3, PublishedResults.Sources.Count);
        foreach (var dataset in Datasets)
            foreach (var source in PublishedResults.Sources)
                Assert.Single(PublishedResults.All, p => p.Dataset == dataset && p.Source == source);
    }

    [Fact]
    public void DatasetNames_AreTheUciFolderNames()
    {
        var folder = Path.Combine(TestPaths.SharedData, "uci");
        foreach (var dataset in Datasets) Assert.True(Directory.Exists(Path.Combine(folder, dataset)), dataset);
    }

    [Theory]
    [InlineData("yacht", -1.18, PublishedResults.Lakshminarayanan2017)]
    [InlineData("bostonHousing", -2.39, PublishedResults.Gal2018)]
    [InlineData("concrete", -2.94, PublishedResults.Gal2018)]
    [InlineData("energy", -1.38, PublishedResults.Lakshminarayanan2017)]
    [InlineData("naval-propulsion-plant", 5.63, PublishedResults.Lakshminarayanan2017)]
    [InlineData("protein-tertiary-structure", -2.83, PublishedResults.Lakshminarayanan2017)]
    [InlineData("wine-quality-red", -0.92, PublishedResults.Gal2018)]
    public void Best_IsTheHighestPublishedTestLogLikelihood(string dataset, double testLl, string source)
    {
        var best = PublishedResults.Best(dataset);
        Assert.NotNull(best);
        Assert.Equal(testLl, best.TestLl);
        Assert.Equal(source, best.Source);
    }

    [Fact]
    public void DeepEnsembles_AreStoredAsNegatedNll()
    {
        // Lakshminarayanan et al. print NLL: yacht 1.18, naval −5.63.
        var yacht = PublishedResults.All.Single(p => p.Dataset == "yacht" && p.Source == PublishedResults.Lakshminarayanan2017);
        Assert.Equal(-1.18, yacht.TestLl);
        var naval = PublishedResults.All.Single(p => p.Dataset == "naval-propulsion-plant" && p.Source == PublishedResults.Lakshminarayanan2017);
        Assert.Equal(5.63, naval.TestLl);
    }

    [Fact]
    public void AUsersDataset_HasNoPublishedResult()
    {
        Assert.Null(PublishedResults.Best("my-data"));
        Assert.Empty(PublishedResults.For("my-data"));
    }
}
