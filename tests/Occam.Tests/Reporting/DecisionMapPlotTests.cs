using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class DecisionMapPlotTests : IDisposable
{
    private readonly PlotTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static double[] Grid(double from, double to, int n) => Enumerable.Range(0, n).Select(i => from + (to - from) * i / (n - 1)).ToArray();

    [Fact]
    public void Save_WritesPngWithRequestedSize()
    {
        // Two blobs: class 0 around (-1, -1), class 1 around (1.5, 2). Entropy of a logistic boundary
        // through the midpoint, plus a term growing with distance from the data (so the corners light up).
        var rng = new Random(3);
        var labels = Enumerable.Range(0, 60).Select(i => i % 2).ToArray();
        var px = labels.Select(l => (l == 0 ? -1.0 : 1.5) + 0.4 * (rng.NextDouble() - 0.5) * 2).ToArray();
        var py = labels.Select(l => (l == 0 ? -1.0 : 2.0) + 0.4 * (rng.NextDouble() - 0.5) * 2).ToArray();
        var gx = Grid(-3, 3, 61);
        var gy = Grid(-2, 4, 41);
        var values = new double[gy.Length, gx.Length];
        for (var i = 0; i < gy.Length; i++)
        for (var j = 0; j < gx.Length; j++)
        {
            var p = 1 / (1 + Math.Exp(-3 * (2.5 * (gx[j] - 0.25) + 3 * (gy[i] - 0.5)) / 3));
            var entropy = -(p * Math.Log(p + 1e-12) + (1 - p) * Math.Log(1 - p + 1e-12));
            var distance = Enumerable.Range(0, px.Length).Min(k => Math.Sqrt(Math.Pow(gx[j] - px[k], 2) + Math.Pow(gy[i] - py[k], 2)));
            values[i, j] = Math.Min(Math.Log(2), entropy + 0.15 * distance);
        }
        var path = _folder.File("decision_map.png");

        DecisionMapPlot.Save(path, "predictive entropy", gx, gy, values, px, py, labels);

        PngFile.AssertValid(path, 700, 600, minBytes: 20_000);
        PngFile.AssertNoTempFiles(_folder.Path);
    }

    [Fact]
    public void Save_ValuesTransposed_ThrowsNamingValues()
    {
        var error = Assert.Throws<ArgumentException>(() => DecisionMapPlot.Save(
            _folder.File("never.png"), "t", Grid(0, 1, 3), Grid(0, 1, 2), new double[3, 2], [], [], []));
        Assert.Equal("values", error.ParamName);
    }

    [Fact]
    public void Save_MismatchedPointArrays_ThrowsNamingTheParameter()
    {
        var gx = Grid(0, 1, 3);
        var gy = Grid(0, 1, 2);
        var v = new double[2, 3];
        Assert.Equal("pointsY", Assert.Throws<ArgumentException>(() =>
            DecisionMapPlot.Save(_folder.File("never.png"), "t", gx, gy, v, [0.1, 0.2], [0.1], [0, 1])).ParamName);
        Assert.Equal("pointLabels", Assert.Throws<ArgumentException>(() =>
            DecisionMapPlot.Save(_folder.File("never.png"), "t", gx, gy, v, [0.1, 0.2], [0.1, 0.2], [0])).ParamName);
    }

    [Fact]
    public void Save_UnevenOrDecreasingGrid_ThrowsNamingTheGrid()
    {
        var v = new double[2, 3];
        Assert.Equal("gridX", Assert.Throws<ArgumentException>(() =>
            DecisionMapPlot.Save(_folder.File("never.png"), "t", [0, 0.1, 1], [0, 1], v, [], [], [])).ParamName);
        Assert.Equal("gridY", Assert.Throws<ArgumentException>(() =>
            DecisionMapPlot.Save(_folder.File("never.png"), "t", [0, 0.5, 1], [1, 0], v, [], [], [])).ParamName);
    }
}
