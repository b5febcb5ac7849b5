using ScottPlot;

namespace Occam.Reporting;

/// <summary>Regression diagnostics: predicted against observed with central intervals, and the interval-coverage curve.</summary>
public static class PredictionPlots
{
    /// <summary>
    /// Observed targets (x) against predictive means (y) with the given central interval as error bars and
    /// the diagonal y = x; points far off the diagonal whose bars miss it are confidently wrong.
    /// </summary>
    public static void SaveObservedVsPredicted(string path, double[] observed, double[] mean, double[] lower, double[] upper, string intervalLabel, int width = 600, int height = 600)
    {
        PlotArguments.Path(path, nameof(path));
        if (observed.Length == 0 || mean.Length != observed.Length || lower.Length != observed.Length || upper.Length != observed.Length)
            throw new ArgumentException("Observed, mean, lower and upper must be non-empty and of equal length.", nameof(observed));
        using var plot = new Plot();
        double min = observed.Concat(lower).Min(), max = observed.Concat(upper).Max();
        var diagonal = plot.Add.Line(min, min, max, max);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "observed = predicted";
        for (int i = 0; i < observed.Length; i++) // one vertical segment per point: intervals need not be symmetric
        {
            var bar = plot.Add.Line(observed[i], lower[i], observed[i], upper[i]);
            bar.LineColor = Colors.SteelBlue.WithAlpha(0.3);
            bar.LineWidth = 1;
            if (i == 0) bar.LegendText = intervalLabel;
        }
        var points = plot.Add.ScatterPoints(observed, mean, Colors.SteelBlue);
        points.MarkerSize = 4;
        points.LegendText = "predictive mean";
        plot.XLabel("observed");
        plot.YLabel("predicted");
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }

    /// <summary>Empirical against nominal coverage of central intervals, with the diagonal of perfect calibration.</summary>
    public static void SaveCoverageCurve(string path, double[] nominal, double[] empirical, int width = 600, int height = 600)
    {
        PlotArguments.Path(path, nameof(path));
        if (nominal.Length == 0 || empirical.Length != nominal.Length) throw new ArgumentException("Nominal and empirical coverage must be non-empty and of equal length.", nameof(nominal));
        using var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfect calibration";
        var curve = plot.Add.Scatter(nominal, empirical, Colors.SteelBlue);
        curve.LineWidth = 2;
        curve.LegendText = "empirical coverage";
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.XLabel("nominal coverage of the central interval");
        plot.YLabel("fraction of targets inside");
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
