using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class RegressionBandPlotTests : IDisposable
{
    private readonly PlotTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Training data on two clusters of sin(x) plus noise; a predictive whose sd grows away from them by <paramref name="growth"/>.</summary>
    internal static BandSeries Panel(string title, double growth, out double[] trainX, out double[] trainY)
    {
        var rng = new Random(7);
        trainX = Enumerable.Range(0, 40).Select(i => i < 20 ? -3 + rng.NextDouble() * 2 : 1 + rng.NextDouble() * 2).ToArray();
        trainY = trainX.Select(x => Math.Sin(x) + 0.1 * (rng.NextDouble() - 0.5)).ToArray();
        var tx = trainX;
        // X deliberately unsorted (descending) to check the plot sorts before drawing lines and bands.
        var x = Enumerable.Range(0, 200).Select(i => 5 - 10.0 * i / 199).ToArray();
        var sd = x.Select(v => 0.05 + growth * tx.Min(t => Math.Abs(t - v))).ToArray();
        return new BandSeries(title, x, x.Select(Math.Sin).ToArray(), sd);
    }

    [Fact]
    public void Save_WritesOnePngWithRequestedSize()
    {
        var panels = new[] { Panel("deep ensemble", 0.3, out var tx, out var ty), Panel("Laplace (KFAC)", 0.8, out _, out _), Panel("MAP", 0.0, out _, out _) };
        var path = _folder.File("regression_bands.png");

        RegressionBandPlot.Save(path, panels, tx, ty, width: 1200, height: 400);

        PngFile.AssertValid(path, 1200, 400, minBytes: 20_000);
        PngFile.AssertNoTempFiles(_folder.Path);
    }

    [Fact]
    public void Save_SinglePanelCustomSize()
    {
        var panel = Panel("GP", 0.5, out var tx, out var ty);
        var path = _folder.File("regression_single.png");
        RegressionBandPlot.Save(path, [panel], tx, ty, width: 500, height: 350);
        PngFile.AssertValid(path, 500, 350);
    }

    [Fact]
    public void Save_MismatchedPanelArrays_ThrowsNamingPanels()
    {
        var bad = new BandSeries("bad", [0, 1, 2], [0, 1], [0.1, 0.1, 0.1]);
        var path = _folder.File("never.png");
        var error = Assert.Throws<ArgumentException>(() => RegressionBandPlot.Save(path, [bad], [0.0], [0.0]));
        Assert.Equal("panels", error.ParamName);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Save_MismatchedTrainingArrays_ThrowsNamingTrainY()
    {
        var panel = new BandSeries("ok", [0, 1], [0, 1], [0.1, 0.1]);
        var error = Assert.Throws<ArgumentException>(() => RegressionBandPlot.Save(_folder.File("never.png"), [panel], [0.0, 1.0], [0.0]));
        Assert.Equal("trainY", error.ParamName);
    }

    [Fact]
    public void Save_NoPanelsOrBadSize_Throws()
    {
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => RegressionBandPlot.Save(_folder.File("never.png"), [], [], [])).ParamName);
        var panel = new BandSeries("ok", [0, 1], [0, 1], [0.1, 0.1]);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => RegressionBandPlot.Save(_folder.File("never.png"), [panel], [], [], width: 0)).ParamName);
    }
}
