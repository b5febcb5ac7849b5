using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// Reliability diagram: accuracy against confidence per bin, one curve per method, with the diagonal
/// y = x of perfect calibration. Curves below the diagonal are over-confident, above it under-confident.
/// </summary>
public static class ReliabilityPlot
{
    /// <summary>Renders the diagram into a PNG at <paramref name="path"/> (written atomically). Bins with zero count are skipped.</summary>
    /// <param name="path">The PNG file to write; its parent directory is created when missing.</param>
    /// <param name="series">The curves to draw; at least one.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No series, or a series' arrays differ in length.</exception>
    public static void Save(string path, IReadOnlyList<ReliabilitySeries> series, int width = 600, int height = 600)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(series, nameof(series));
        if (series.Count == 0)
            throw new ArgumentException("Expected at least one series.", nameof(series));
        for (var s = 0; s < series.Count; s++) Validate(series[s], s);
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));

        using var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LineWidth = 1.5f;
        diagonal.LegendText = "perfect calibration";

        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Count; s++)
        {
            var (confidence, accuracy) = NonEmptyBins(series[s]);
            if (confidence.Length == 0) continue;
            var curve = plot.Add.Scatter(confidence, accuracy, palette.GetColor(s));
            curve.LineWidth = 2;
            curve.MarkerSize = 7;
            curve.MarkerShape = MarkerShape.FilledCircle;
            curve.LegendText = series[s].Name;
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.XLabel("confidence");
        plot.YLabel("accuracy");
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }

    /// <summary>The bins with a positive count and finite coordinates, ordered by confidence.</summary>
    private static (double[] Confidence, double[] Accuracy) NonEmptyBins(ReliabilitySeries series)
    {
        var kept = Enumerable.Range(0, series.Counts.Length)
            .Where(i => series.Counts[i] > 0 && double.IsFinite(series.MeanConfidence[i]) && double.IsFinite(series.Accuracy[i]))
            .OrderBy(i => series.MeanConfidence[i])
            .ToArray();
        return (kept.Select(i => series.MeanConfidence[i]).ToArray(), kept.Select(i => series.Accuracy[i]).ToArray());
    }

    private static void Validate(ReliabilitySeries? series, int index)
    {
        if (series is null)
            throw new ArgumentException($"Series {index} is null.", "series");
        if (series.MeanConfidence is null || series.Accuracy is null || series.Counts is null)
            throw new ArgumentException($"Series {index} ('{series.Name}') has a null array.", "series");
        if (series.Accuracy.Length != series.MeanConfidence.Length || series.Counts.Length != series.MeanConfidence.Length)
            throw new ArgumentException(
                $"Expected series {index} ('{series.Name}') to have MeanConfidence, Accuracy and Counts of equal length (one entry per bin), got {series.MeanConfidence.Length}, {series.Accuracy.Length} and {series.Counts.Length}.",
                "series");
    }
}
