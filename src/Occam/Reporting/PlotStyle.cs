using ScottPlot;
using SkiaSharp;

namespace Occam.Reporting;

/// <summary>Common look of the report figures: a sans-serif font when one is installed (headless Linux often defaults to a serif).</summary>
internal static class PlotStyle
{
    private static readonly string[] PreferredFonts = ["Open Sans", "Segoe UI", "Helvetica", "Arial", "Liberation Sans", "Noto Sans", "DejaVu Sans"];

    private static readonly Lazy<string?> SansFont = new(() =>
    {
        var installed = new HashSet<string>(SKFontManager.Default.GetFontFamilies(), StringComparer.OrdinalIgnoreCase);
        return PreferredFonts.FirstOrDefault(installed.Contains);
    });

    public static void Apply(Plot plot)
    {
        if (SansFont.Value is { } font) plot.Font.Set(font);
    }
}
