using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class MethodScorePlotTests : IDisposable
{
    private readonly PlotTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Save_WritesPngWhoseHeightGrowsWithTheMethods()
    {
        MethodScore[] scores = [new("ensemble", -0.9, 0.03), new("sgld", -1.3, 0.03), new("map", -1.95, 0.14), new("diverged", double.NaN, double.NaN)];
        ReferenceValue[] published = [new("deep ensembles", -1.18), new("MC dropout", -1.55), new("undefined", double.NaN)];
        var path = _folder.File("test-ll.png");

        MethodScorePlot.Save(path, scores, published, "yacht", "test log-likelihood");

        PngFile.AssertValid(path, 900, MethodScorePlot.Height(4));
        PngFile.AssertNoTempFiles(_folder.Path);
        Assert.True(MethodScorePlot.Height(20) > MethodScorePlot.Height(4));
    }

    [Fact]
    public void Save_NoScores_ThrowsNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => MethodScorePlot.Save(_folder.File("never.png"), [], [], "t", "x"));
        Assert.Equal("scores", error.ParamName);
    }
}
