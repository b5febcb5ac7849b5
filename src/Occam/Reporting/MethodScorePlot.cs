using ScottPlot;

namespace Occam.Reporting;

/// <summary>One method's score in a <see cref="MethodScorePlot"/>: a mean and its standard error.</summary>
/// <param name="Label">The method (axis label).</param>
/// <param name="Mean">The mean score.</param>
/// <param name="Se">Its standard error (drawn as ±1 SE; 0 draws no bar).</param>
public sealed record MethodScore(string Label, double Mean, double Se);

/// <summary>A value to compare every method with (e.g. a published result), drawn as a dashed vertical line.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="Value">Its position on the score axis.</param>
public sealed record ReferenceValue(string Label, double Value);

/// <summary>
/// Methods' scores on one dataset: one row per method (the first on top), a marker at the mean with ±1 standard-error
/// bars, and reference values as dashed vertical lines.
/// </summary>
public static class MethodScorePlot
{
    /// <summary>Renders the figure into a PNG at <paramref name="path"/> (written atomically). Rows with a non-finite mean keep their label and draw nothing.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="scores">One score per method, at least one, drawn from the top down.</param>
    /// <param name="references">Reference lines (may be empty); non-finite values are skipped.</param>
    /// <param name="title">Title over the figure.</param>
    /// <param name="scoreLabel">Label of the score axis.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels (null: grows with the number of methods).</param>
    /// <exception cref="ArgumentException">No scores, or a size out of range.</exception>
    public static void Save(string path, IReadOnlyList<MethodScore> scores, IReadOnlyList<ReferenceValue> references, string title, string scoreLabel,
        int width = 900, int? height = null)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(scores, nameof(scores));
        PlotArguments.NotNull(references, nameof(references));
        if (scores.Count == 0) throw new ArgumentException("Expected at least one method's score.", nameof(scores));
        int rows = height ?? Height(scores.Count);
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(rows, nameof(height));
        using var plot = new Plot();
        var positions = Enumerable.Range(0, scores.Count).Select(i => (double)(scores.Count - 1 - i)).ToArray();
        var shown = Enumerable.Range(0, scores.Count).Where(i => double.IsFinite(scores[i].Mean)).ToArray();
        var color = new ScottPlot.Palettes.Category10().GetColor(0);
        if (shown.Length > 0)
        {
            var x = shown.Select(i => scores[i].Mean).ToArray();
            var y = shown.Select(i => positions[i]).ToArray();
            var se = shown.Select(i => double.IsFinite(scores[i].Se) ? scores[i].Se : 0).ToArray();
            var zero = new double[shown.Length];
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(x, y, se, se, zero, zero) { Color = color });
            plot.Add.Markers(x, y, MarkerShape.FilledCircle, 9, color).LegendText = "mean ± 1 SE";
        }
        var palette = new ScottPlot.Palettes.Category10();
        int k = 1;
        foreach (var reference in references.Where(r => double.IsFinite(r.Value)))
        {
            var line = plot.Add.VerticalLine(reference.Value, 1.5f, palette.GetColor(k++));
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = reference.Label;
        }
        plot.Axes.Left.SetTicks(positions, scores.Select(s => s.Label).ToArray());
        plot.Axes.SetLimitsY(-0.75, scores.Count - 0.25);
        plot.Title(title);
        plot.XLabel(scoreLabel);
        plot.ShowLegend(Edge.Bottom);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, rows);
    }

    /// <summary>The default height for <paramref name="methods"/> rows: 30 pixels each plus room for the title, the axis and a legend below it.</summary>
    public static int Height(int methods) => Math.Clamp(300 + 30 * methods, 400, PlotArguments.MaxPixels);
}
