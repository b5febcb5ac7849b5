using Occam.Priors;
using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// A prior predictive check as a figure: the pointwise 95% band of functions drawn from a network's prior,
/// their mean, and a few of the draws themselves (thin lines), over a 1-D input grid.
/// </summary>
public static class PriorPredictivePlot
{
    /// <summary>Renders the draws into a PNG at <paramref name="path"/> (written atomically), showing at most <paramref name="lines"/> draws.</summary>
    /// <exception cref="ArgumentException">An invalid path or size, or a negative line count.</exception>
    public static void Save(string path, PriorPredictiveDraws draws, string title, int lines = 20, int width = 800, int height = 500)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(draws, nameof(draws));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));
        if (lines < 0) throw new ArgumentException($"Expected a non-negative number of lines; got {lines}.", nameof(lines));

        using var plot = new Plot();
        var band = plot.Add.FillY(draws.X, draws.Lower, draws.Upper);
        band.FillColor = Colors.SteelBlue.WithAlpha(0.25);
        band.LineWidth = 0;
        band.LegendText = "2.5–97.5% band";
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < Math.Min(lines, draws.Samples); s++)
        {
            var f = Enumerable.Range(0, draws.X.Length).Select(g => draws.Draws[s, g]).ToArray();
            var line = plot.Add.ScatterLine(draws.X, f, palette.GetColor(s).WithAlpha(0.6));
            line.LineWidth = 1;
            if (s == 0) line.LegendText = "prior draws";
        }
        var mean = plot.Add.ScatterLine(draws.X, draws.Mean, Colors.Black);
        mean.LineWidth = 2;
        mean.LegendText = "mean";
        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("f(x)");
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
