using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// Learning curves side by side: per panel one line per series (e.g. per acquisition function) with a
/// shaded band, against a shared x axis (e.g. labelled points). Series keep their colour across panels.
/// </summary>
public static class LearningCurvePlot
{
    /// <summary>Renders the panels into one PNG at <paramref name="path"/> (written atomically).</summary>
    /// <param name="path">The PNG file; its parent directory is created when missing.</param>
    /// <param name="panels">The panels, left to right; at least one, each with at least one series.</param>
    /// <param name="xLabel">What the x axis shows.</param>
    /// <param name="title">A title over each panel (may be empty).</param>
    /// <param name="width">Image width in pixels (all panels together).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No panels, an empty panel, or a series whose arrays differ in length.</exception>
    public static void Save(string path, IReadOnlyList<CurvePanel> panels, string xLabel, string title = "", int width = 1200, int height = 450)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(panels, nameof(panels));
        if (panels.Count == 0) throw new ArgumentException("Expected at least one panel.", nameof(panels));
        foreach (var panel in panels) Validate(panel);
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));
        var names = panels.SelectMany(p => p.Series.Select(s => s.Name)).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(panels.Count);
        var plots = multiplot.GetPlots();
        try
        {
            for (int p = 0; p < panels.Count; p++)
            {
                var plot = plots[p];
                foreach (var series in panels[p].Series)
                {
                    var color = palette.GetColor(names.IndexOf(series.Name));
                    var band = plot.Add.FillY(series.X, series.Lower, series.Upper);
                    band.FillColor = color.WithAlpha(0.2);
                    band.LineWidth = 0;
                    var line = plot.Add.ScatterLine(series.X, series.Mean, color);
                    line.LineWidth = 2;
                    line.LegendText = series.Name;
                }
                plot.XLabel(xLabel);
                plot.YLabel(panels[p].YLabel);
                if (title.Length > 0) plot.Title(title);
                if (p == 0) plot.ShowLegend(Alignment.LowerRight);
                else plot.HideLegend();
                PlotStyle.Apply(plot);
            }
            PngOutput.Save(multiplot, path, width, height);
        }
        finally
        {
            foreach (var plot in plots) plot.Dispose();
        }
    }

    private static void Validate(CurvePanel? panel)
    {
        if (panel?.Series is null || panel.Series.Count == 0) throw new ArgumentException("Every panel needs at least one series.", "panels");
        foreach (var s in panel.Series)
        {
            if (s?.X is null || s.Mean is null || s.Lower is null || s.Upper is null)
                throw new ArgumentException($"A series of panel '{panel.YLabel}' has a null array.", "panels");
            if (s.Mean.Length != s.X.Length || s.Lower.Length != s.X.Length || s.Upper.Length != s.X.Length)
                throw new ArgumentException($"Series '{s.Name}' of panel '{panel.YLabel}' has X, Mean, Lower and Upper of lengths {s.X.Length}, {s.Mean.Length}, {s.Lower.Length} and {s.Upper.Length}.", "panels");
        }
    }
}
