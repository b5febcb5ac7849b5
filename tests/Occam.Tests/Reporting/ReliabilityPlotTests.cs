using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class ReliabilityPlotTests : IDisposable
{
    private readonly PlotTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Save_WritesPngWithRequestedSize()
    {
        // Ten equal-width bins; the first two are empty (as for a 10-class problem, where confidence >= 0.1).
        var confidence = Enumerable.Range(0, 10).Select(b => 0.05 + 0.1 * b).ToArray();
        var counts = new long[] { 0, 0, 12, 30, 41, 55, 80, 120, 300, 900 };
        var overconfident = new ReliabilitySeries("MAP", confidence, confidence.Select(c => c * c).ToArray(), counts);
        var calibrated = new ReliabilitySeries("deep ensemble", confidence, confidence.Select(c => Math.Min(1, c + 0.02)).ToArray(), counts);
        var path = _folder.File("reliability.png");

        ReliabilityPlot.Save(path, [overconfident, calibrated]);

        PngFile.AssertValid(path, 600, 600);
        PngFile.AssertNoTempFiles(_folder.Path);
    }

    [Fact]
    public void Save_AllBinsEmpty_StillDrawsDiagonal()
    {
        var empty = new ReliabilitySeries("empty", [0.5], [double.NaN], [0]);
        var path = _folder.File("reliability_empty.png");
        ReliabilityPlot.Save(path, [empty], width: 400, height: 300);
        PngFile.AssertValid(path, 400, 300, minBytes: 2_000);
    }

    [Fact]
    public void Save_MismatchedArrays_ThrowsNamingSeries()
    {
        var bad = new ReliabilitySeries("bad", [0.1, 0.2], [0.1, 0.2], [1]);
        var error = Assert.Throws<ArgumentException>(() => ReliabilityPlot.Save(_folder.File("never.png"), [bad]));
        Assert.Equal("series", error.ParamName);
        Assert.Contains("bad", error.Message);
    }
}
