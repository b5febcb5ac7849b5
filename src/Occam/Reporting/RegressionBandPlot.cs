using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// Side-by-side panels of 1-D regression predictives: training points, predictive mean and a shaded
/// mean ± 2 sd band. All panels share the x and y limits, so band widths compare across methods.
/// </summary>
public static class RegressionBandPlot
{
    private static readonly Color BandColor = Colors.SteelBlue.WithAlpha(0.3);
    private static readonly Color MeanColor = Colors.SteelBlue.Darken(0.3);
    private static readonly Color DataColor = Colors.Black;

    /// <summary>Renders one panel per series into a single PNG at <paramref name="path"/> (written atomically).</summary>
    /// <param name="path">The PNG file to write; its parent directory is created when missing.</param>
    /// <param name="panels">The predictives to show, left to right; at least one.</param>
    /// <param name="trainX">Training inputs, drawn as dots on every panel.</param>
    /// <param name="trainY">Training targets, same length as <paramref name="trainX"/>.</param>
    /// <param name="width">Image width in pixels (all panels together).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No panels, a panel's arrays differ in length, or the training arrays differ in length.</exception>
    public static void Save(string path, IReadOnlyList<BandSeries> panels, double[] trainX, double[] trainY, int width = 1200, int height = 400)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(panels, nameof(panels));
        if (panels.Count == 0)
            throw new ArgumentException("Expected at least one panel.", nameof(panels));
        for (var p = 0; p < panels.Count; p++) Validate(panels[p], p);
        PlotArguments.NotNull(trainX, nameof(trainX));
        PlotArguments.SameLength(trainY, nameof(trainY), trainX.Length, nameof(trainX));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));

        var (xMin, xMax, yMin, yMax) = Limits(panels, trainX, trainY, height);
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(panels.Count);
        var plots = multiplot.GetPlots();
        try
        {
            for (var p = 0; p < panels.Count; p++)
                Draw(plots[p], panels[p], trainX, trainY, showLegend: p == 0, showYLabel: p == 0);
            foreach (var plot in plots) plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
            PngOutput.Save(multiplot, path, width, height);
        }
        finally
        {
            foreach (var plot in plots) plot.Dispose();
        }
    }

    private static void Draw(Plot plot, BandSeries panel, double[] trainX, double[] trainY, bool showLegend, bool showYLabel)
    {
        var order = Enumerable.Range(0, panel.X.Length).OrderBy(i => panel.X[i]).ToArray();
        var x = order.Select(i => panel.X[i]).ToArray();
        var mean = order.Select(i => panel.Mean[i]).ToArray();
        var lower = order.Select(i => panel.Mean[i] - 2 * panel.StandardDeviation[i]).ToArray();
        var upper = order.Select(i => panel.Mean[i] + 2 * panel.StandardDeviation[i]).ToArray();

        var band = plot.Add.FillY(x, lower, upper);
        band.FillColor = BandColor;
        band.LineWidth = 0;
        band.LegendText = "mean ± 2 sd";

        var line = plot.Add.ScatterLine(x, mean, MeanColor);
        line.LineWidth = 2;
        line.LegendText = "predictive mean";

        var data = plot.Add.Markers(trainX, trainY, MarkerShape.FilledCircle, 4, DataColor);
        data.LegendText = "training data";

        plot.Title(panel.Title);
        plot.XLabel("x");
        if (showYLabel) plot.YLabel("y");
        if (showLegend) plot.ShowLegend(Alignment.UpperLeft);
        else plot.HideLegend();
        PlotStyle.Apply(plot);
    }

    /// <summary>
    /// Common limits: every finite band edge and training point, with a 5% margin, and headroom above
    /// the data for the legend (about 80 px of the roughly height − 95 px data area) so it hides nothing.
    /// </summary>
    private static (double XMin, double XMax, double YMin, double YMax) Limits(IReadOnlyList<BandSeries> panels, double[] trainX, double[] trainY, int height)
    {
        var xs = panels.SelectMany(p => p.X).Concat(trainX).Where(double.IsFinite).ToArray();
        var ys = panels.SelectMany(p => p.Mean.Zip(p.StandardDeviation, (m, s) => (m, s)))
            .SelectMany(t => new[] { t.m - 2 * t.s, t.m + 2 * t.s })
            .Concat(trainY).Where(double.IsFinite).ToArray();
        var (xMin, xMax) = Padded(xs, 0.05, 0.05);
        var legendFraction = Math.Clamp(80.0 / Math.Max(1, height - 95), 0.05, 0.5);
        var (yMin, yMax) = Padded(ys, 0.05, (1 + 0.05) * legendFraction / (1 - legendFraction));
        return (xMin, xMax, yMin, yMax);
    }

    private static (double Min, double Max) Padded(double[] values, double below, double above)
    {
        if (values.Length == 0) return (-1, 1);
        double min = values.Min(), max = values.Max();
        var span = max > min ? max - min : Math.Max(1e-3, Math.Abs(min));
        return (min - below * span, max + above * span);
    }

    private static void Validate(BandSeries? panel, int index)
    {
        if (panel is null)
            throw new ArgumentException($"Panel {index} is null.", "panels");
        if (panel.X is null || panel.Mean is null || panel.StandardDeviation is null)
            throw new ArgumentException($"Panel {index} ('{panel.Title}') has a null array.", "panels");
        if (panel.Mean.Length != panel.X.Length || panel.StandardDeviation.Length != panel.X.Length)
            throw new ArgumentException(
                $"Expected panel {index} ('{panel.Title}') to have X, Mean and StandardDeviation of equal length, got {panel.X.Length}, {panel.Mean.Length} and {panel.StandardDeviation.Length}.",
                "panels");
        if (panel.StandardDeviation.Any(s => s < 0))
            throw new ArgumentException($"Panel {index} ('{panel.Title}') has a negative standard deviation.", "panels");
    }
}
