using ScottPlot;

namespace Occam.Reporting;

/// <summary>
/// A heatmap of a scalar over a 2-D input grid (predictive entropy, mutual information, a class
/// probability) with the training points drawn on top, coloured by label.
/// </summary>
public static class DecisionMapPlot
{
    /// <summary>Renders the map into a PNG at <paramref name="path"/> (written atomically).</summary>
    /// <param name="path">The PNG file to write; its parent directory is created when missing.</param>
    /// <param name="title">Plot title, naming the quantity shown (e.g. "deep ensemble: predictive entropy").</param>
    /// <param name="gridX">Evenly spaced, increasing x coordinates of the grid cell centres (at least two).</param>
    /// <param name="gridY">Evenly spaced, increasing y coordinates of the grid cell centres (at least two).</param>
    /// <param name="values">
    /// The value at each grid point, indexed <c>values[yIndex, xIndex]</c>: shape [gridY.Length, gridX.Length],
    /// row 0 at the bottom (smallest y). NaN cells are transparent.
    /// </param>
    /// <param name="pointsX">x coordinates of the training points.</param>
    /// <param name="pointsY">y coordinates of the training points, same length as <paramref name="pointsX"/>.</param>
    /// <param name="pointLabels">Class label of each training point, same length as <paramref name="pointsX"/>.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">A grid is not evenly spaced and increasing, <paramref name="values"/> has the wrong shape, or the point arrays differ in length.</exception>
    public static void Save(string path, string title, double[] gridX, double[] gridY, double[,] values,
        double[] pointsX, double[] pointsY, int[] pointLabels, int width = 700, int height = 600)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.EvenGrid(gridX, nameof(gridX));
        PlotArguments.EvenGrid(gridY, nameof(gridY));
        PlotArguments.NotNull(values, nameof(values));
        if (values.GetLength(0) != gridY.Length || values.GetLength(1) != gridX.Length)
            throw new ArgumentException(
                $"Expected values of shape [gridY.Length, gridX.Length] = [{gridY.Length}, {gridX.Length}], got [{values.GetLength(0)}, {values.GetLength(1)}].",
                nameof(values));
        PlotArguments.NotNull(pointsX, nameof(pointsX));
        PlotArguments.SameLength(pointsY, nameof(pointsY), pointsX.Length, nameof(pointsX));
        PlotArguments.SameLength(pointLabels, nameof(pointLabels), pointsX.Length, nameof(pointsX));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));

        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap((double[,])values.Clone());
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(gridX[0], gridX[^1], gridY[0], gridY[^1]);
        heatmap.FlipVertically = true; // row 0 is the smallest y, drawn at the bottom
        plot.Add.ColorBar(heatmap);

        var palette = new ScottPlot.Palettes.Category10();
        var classes = pointLabels.Distinct().Order().ToArray();
        for (var c = 0; c < classes.Length; c++)
        {
            var members = Enumerable.Range(0, pointLabels.Length).Where(i => pointLabels[i] == classes[c]).ToArray();
            double[] xs = members.Select(i => pointsX[i]).ToArray(), ys = members.Select(i => pointsY[i]).ToArray();
            // A white halo under each dot keeps it visible on both the dark and the bright end of the colour map.
            plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 10, Colors.White);
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 7, palette.GetColor(c));
            markers.LegendText = $"class {classes[c]}";
        }

        double halfX = (gridX[1] - gridX[0]) / 2, halfY = (gridY[1] - gridY[0]) / 2;
        plot.Axes.SetLimits(gridX[0] - halfX, gridX[^1] + halfX, gridY[0] - halfY, gridY[^1] + halfY);
        plot.Title(title ?? "");
        plot.XLabel("x1");
        plot.YLabel("x2");
        if (classes.Length > 0) plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
