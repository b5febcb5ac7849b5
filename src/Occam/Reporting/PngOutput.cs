using ScottPlot;

namespace Occam.Reporting;

/// <summary>Renders ScottPlot figures to PNG bytes in memory and writes them atomically.</summary>
internal static class PngOutput
{
    public static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));

    public static void Save(Multiplot multiplot, string path, int width, int height)
    {
        using var image = multiplot.Render(width, height);
        AtomicFile.WriteAllBytes(path, image.GetImageBytes(ImageFormat.Png, 100));
    }
}
