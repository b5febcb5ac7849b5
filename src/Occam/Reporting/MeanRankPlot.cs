using ScottPlot;

namespace Occam.Reporting;

/// <summary>Mean ranks of methods over datasets as horizontal bars, the first method on top; shorter is better (1 is the best rank).</summary>
public static class MeanRankPlot
{
    /// <summary>Renders the figure into a PNG at <paramref name="path"/> (written atomically).</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="labels">One label per method (e.g. "sgld (5 datasets)"), at least one.</param>
    /// <param name="meanRanks">Their mean ranks, each at least 1.</param>
    /// <param name="title">Title over the figure.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels (null: grows with the number of methods).</param>
    /// <exception cref="ArgumentException">No methods, arrays of different lengths, a rank below 1 or not finite, or a size out of range.</exception>
    public static void Save(string path, string[] labels, double[] meanRanks, string title, int width = 800, int? height = null)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(labels, nameof(labels));
        if (labels.Length == 0) throw new ArgumentException("Expected at least one method.", nameof(labels));
        PlotArguments.SameLength(meanRanks, nameof(meanRanks), labels.Length, nameof(labels));
        if (meanRanks.Any(r => !double.IsFinite(r) || r < 1)) throw new ArgumentException("Expected mean ranks of at least 1.", nameof(meanRanks));
        int rows = height ?? MethodScorePlot.Height(labels.Length);
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(rows, nameof(height));
        using var plot = new Plot();
        var positions = Enumerable.Range(0, labels.Length).Select(i => (double)(labels.Length - 1 - i)).ToArray();
        var bars = plot.Add.Bars(positions, meanRanks);
        bars.Horizontal = true;
        bars.Color = new ScottPlot.Palettes.Category10().GetColor(0);
        plot.Axes.Left.SetTicks(positions, labels);
        plot.Axes.SetLimits(0, meanRanks.Max() * 1.05 + 0.5, -0.75, labels.Length - 0.25);
        plot.Title(title);
        plot.XLabel("mean rank over datasets by test log-likelihood (1 = best)");
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, rows);
    }
}
