using ScottPlot;

namespace Occam.Reporting;

/// <summary>One curve of a spectral-density figure: a density evaluated on a grid of eigenvalues.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Grid">Eigenvalue grid (ascending).</param>
/// <param name="Density">Density at each grid point (non-negative).</param>
public sealed record DensitySeries(string Name, double[] Grid, double[] Density);

/// <summary>
/// Spectral densities of curvature matrices on a log scale: network Hessians put almost all their mass near
/// zero and a few eigenvalues far out (the outliers), so the density is drawn as log₁₀ of itself, floored
/// at a millionth of each curve's peak so the outliers stay visible.
/// </summary>
public static class SpectralDensityPlot
{
    /// <summary>Renders the curves into a PNG at <paramref name="path"/> (written atomically).</summary>
    /// <exception cref="ArgumentException">No series, or a series whose grid and density differ in length or are empty.</exception>
    public static void Save(string path, IReadOnlyList<DensitySeries> series, string title, int width = 800, int height = 500)
    {
        PlotArguments.Path(path, nameof(path));
        PlotArguments.NotNull(series, nameof(series));
        if (series.Count == 0) throw new ArgumentException("Expected at least one series.", nameof(series));
        foreach (var s in series)
            if (s.Grid.Length == 0 || s.Grid.Length != s.Density.Length)
                throw new ArgumentException($"Series '{s.Name}': grid and density must be non-empty and of equal length.", nameof(series));
        PlotArguments.Size(width, nameof(width));
        PlotArguments.Size(height, nameof(height));

        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            double floor = Math.Max(s.Density.Max() * 1e-6, double.Epsilon);
            var logDensity = s.Density.Select(d => Math.Log10(Math.Max(d, floor))).ToArray();
            var curve = plot.Add.Scatter(s.Grid, logDensity, palette.GetColor(i));
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            curve.LegendText = s.Name;
        }
        plot.Title(title);
        plot.XLabel("eigenvalue λ");
        plot.YLabel("log₁₀ spectral density");
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Apply(plot);
        PngOutput.Save(plot, path, width, height);
    }
}
