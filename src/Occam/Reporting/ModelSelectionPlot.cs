using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// Model selection at a glance: two panels against the candidates (in the order given), the log evidence and the
/// test log-likelihood, each a line with ±1 standard-error bars; the evidence's pick and the best on test are marked.
/// </summary>
public static class ModelSelectionPlot
{
    /// <summary>Renders the figure into a PNG at <paramref name="path"/> (written atomically).</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="labels">Candidate labels (x-axis ticks), at least one.</param>
    /// <param name="evidence">Mean log evidence per candidate.</param>
    /// <param name="evidenceSe">Its standard errors.</param>
    /// <param name="testLl">Mean test log-likelihood per candidate.</param>
    /// <param name="testLlSe">Its standard errors.</param>
    /// <param name="chosen">Index of the evidence's pick.</param>
    /// <param name="best">Index of the best candidate on test.</param>
    /// <param name="title">Title over the figure.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No candidates, arrays of different lengths, or an index out of range.</exception>
    public static void Save(string path, string[] labels, double[] evidence, double[] evidenceSe, double[] testLl, double[] testLlSe, int chosen, int best,
        string title, int width = 1200, int height = 450)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(labels, nameof(labels));
        if (labels.Length == 0) throw new ArgumentException("Expected at least one candidate.", nameof(labels));
        PlotArguments.SameLength(evidence, nameof(evidence), labels.Length, nameof(labels));
        PlotArguments.SameLength(evidenceSe, nameof(evidenceSe), labels.Length, nameof(labels));
        PlotArguments.SameLength(testLl, nameof(testLl), labels.Length, nameof(labels));
        PlotArguments.SameLength(testLlSe, nameof(testLlSe), labels.Length, nameof(labels));
        if (chosen < 0 || chosen >= labels.Length) throw new ArgumentException($"The chosen index {chosen} is outside 0..{labels.Length - 1}.", nameof(chosen));
        if (best < 0 || best >= labels.Length) throw new ArgumentException($"The best index {best} is outside 0..{labels.Length - 1}.", nameof(best));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));
        var x = Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(2);
        var plots = multiplot.GetPlots();
        try
        {
            Panel(plots[0], x, labels, evidence, evidenceSe, palette.GetColor(0), "log evidence (standardised units)", chosen, "evidence's pick");
            Panel(plots[1], x, labels, testLl, testLlSe, palette.GetColor(1), "test log-likelihood per example", best, "best on test");
            plots[0].Title(title);
            PngOutput.Save(multiplot, path, width, height);
        }
        finally
        {
            foreach (var plot in plots) plot.Dispose();
        }
    }

    private static void Panel(Plot plot, double[] x, string[] labels, double[] mean, double[] se, Color color, string yLabel, int marked, string markName)
    {
        var line = plot.Add.Scatter(x, mean, color);
        line.LineWidth = 2;
        line.MarkerSize = 7;
        var bars = plot.Add.ErrorBar(x, mean, se);
        bars.Color = color;
        var mark = plot.Add.Marker(x[marked], mean[marked], MarkerShape.OpenCircle, 18, Colors.Black);
        mark.LegendText = markName;
        plot.Axes.Bottom.SetTicks(x, labels);
        plot.XLabel("candidate (hidden widths)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        PlotStyle.Apply(plot);
    }
}
