using System.Globalization;
using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// A log–log scatter of two probabilities per item (e.g. P_SGD(f|S) against P_B(f|S) per function), each
/// point coloured by a third value in [0, 1] (e.g. the function's test error) in bins shown in the legend,
/// with the line y = x. Axes are log₁₀ values labelled as powers of ten.
/// </summary>
public static class LogProbabilityScatterPlot
{
    /// <summary>Writes the PNG (atomically). All arrays have one entry per point; log values are base 10.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="title">The title.</param>
    /// <param name="xLabel">The x axis label.</param>
    /// <param name="yLabel">The y axis label.</param>
    /// <param name="log10X">log₁₀ of the x probabilities.</param>
    /// <param name="log10Y">log₁₀ of the y probabilities.</param>
    /// <param name="colour">The colouring value of each point, in [0, 1].</param>
    /// <param name="colourName">What the colour shows (legend).</param>
    /// <param name="bins">Colour bins over [0, 1].</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    public static void Save(string path, string title, string xLabel, string yLabel, double[] log10X, double[] log10Y, double[] colour, string colourName,
        int bins = 6, int width = 800, int height = 700)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(log10X, nameof(log10X));
        PlotArguments.SameLength(log10Y, nameof(log10Y), log10X.Length, nameof(log10X));
        PlotArguments.SameLength(colour, nameof(colour), log10X.Length, nameof(log10X));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));
        if (bins < 1) throw new ArgumentException($"Expected at least one colour bin; got {bins}.", nameof(bins));

        using var plot = new Plot();
        var finite = Enumerable.Range(0, log10X.Length).Where(i => double.IsFinite(log10X[i]) && double.IsFinite(log10Y[i])).ToArray();
        double low = finite.Length == 0 ? -6 : Math.Floor(finite.Min(i => Math.Min(log10X[i], log10Y[i]))) - 0.5;
        double high = finite.Length == 0 ? 0 : Math.Min(0.5, Math.Ceiling(finite.Max(i => Math.Max(log10X[i], log10Y[i]))) + 0.5);
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "y = x";
        var colormap = new ScottPlot.Colormaps.Turbo();
        double top = finite.Length == 0 ? 1 : Math.Max(1e-9, finite.Max(i => colour[i]));
        for (int b = 0; b < bins; b++)
        {
            double from = top * b / bins, to = top * (b + 1) / bins;
            var members = finite.Where(i => colour[i] >= from && (colour[i] < to || (b == bins - 1 && colour[i] <= to))).ToArray();
            if (members.Length == 0) continue;
            var markers = plot.Add.Markers(members.Select(i => log10X[i]).ToArray(), members.Select(i => log10Y[i]).ToArray(),
                MarkerShape.FilledCircle, 5, colormap.GetColor((b + 0.5) / bins).WithAlpha(0.8));
            markers.LegendText = string.Create(CultureInfo.InvariantCulture, $"{colourName} {from:0.00}–{to:0.00} ({members.Length})");
        }
        var ticks = new ScottPlot.TickGenerators.NumericFixedInterval(1) { LabelFormatter = v => string.Create(CultureInfo.InvariantCulture, $"1e{v:0}") };
        var ticksY = new ScottPlot.TickGenerators.NumericFixedInterval(1) { LabelFormatter = v => string.Create(CultureInfo.InvariantCulture, $"1e{v:0}") };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = ticksY;
        plot.Axes.SetLimits(low, high, low, high);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
