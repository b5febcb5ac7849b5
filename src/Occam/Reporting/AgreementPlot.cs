using ScottPlot;

namespace Occam.Reporting;

/// <summary>One method in an agreement plot: its label, x (e.g. test log-likelihood) and y (e.g. W1 to the reference), with optional error bars.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Horizontal position.</param>
/// <param name="Y">Vertical position.</param>
/// <param name="XError">Half-width of the horizontal error bar (0: none).</param>
/// <param name="YError">Half-height of the vertical error bar (0: none).</param>
public sealed record AgreementPoint(string Label, double X, double Y, double XError = 0, double YError = 0);

/// <summary>
/// A scatter of methods, one marker and legend entry each: how close each method's predictive is to a
/// reference posterior's (y) against how well it predicts on its own (x). The best methods sit at the
/// bottom right for distance-to-reference against test log-likelihood.
/// </summary>
public static class AgreementPlot
{
    /// <summary>Renders the plot into a PNG at <paramref name="path"/> (written atomically). Points with non-finite coordinates are skipped.</summary>
    /// <exception cref="ArgumentException">No points.</exception>
    public static void Save(string path, IReadOnlyList<AgreementPoint> points, string title, string xLabel, string yLabel, int width = 720, int height = 540)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(points, nameof(points));
        if (points.Count == 0) throw new ArgumentException("Expected at least one point.", nameof(points));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var shapes = new[] { MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleDown };
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y)) continue;
            var color = palette.GetColor(i);
            if (p.XError > 0 || p.YError > 0)
            {
                var bar = new ScottPlot.Plottables.ErrorBar([p.X], [p.Y], [p.XError], [p.XError], [p.YError], [p.YError]) { Color = color };
                plot.Add.Plottable(bar);
            }
            var marker = plot.Add.Markers(new[] { p.X }, new[] { p.Y }, shapes[i % shapes.Length], 10, color);
            marker.LegendText = p.Label;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
