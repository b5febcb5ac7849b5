using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class MeanRankPlotTests : IDisposable
{
    private readonly PlotTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Save_WritesPngWithRequestedSize()
    {
        var path = _folder.File("ranks.png");
        MeanRankPlot.Save(path, ["ensemble (5)", "sgld (5)", "gp (2)"], [1.6, 4.4, 1.5], "mean rank", width: 640, height: 360);
        PngFile.AssertValid(path, 640, 360);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void Save_ARankBelowOneOrUndefined_Throws(double rank)
    {
        var error = Assert.Throws<ArgumentException>(() => MeanRankPlot.Save(_folder.File("never.png"), ["a"], [rank], "t"));
        Assert.Equal("meanRanks", error.ParamName);
    }

    [Fact]
    public void Save_MismatchedLengths_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => MeanRankPlot.Save(_folder.File("never.png"), ["a", "b"], [1.0], "t"));
        Assert.Equal("meanRanks", error.ParamName);
    }
}
