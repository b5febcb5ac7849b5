using System.Globalization;
using Occam.Cli.Commands;
using Occam.Geometry;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Writes a geometry report: results.json, results.md, spectral-density.png and the printed table.</summary>
internal static class GeometryOutput
{
    public static void Write(CliEnvironment env, string directory, GeometryReport report, OutputFormat format)
    {
        string[] headers = ["curvature", "P", "rows", "α", "λ₁", "λ_k", "trace", "N_eff", "N_eff (top k)", "negative mass"];
        var rows = report.Curvatures.Select(c => new[]
        {
            c.Curvature, c.Parameters.ToString(CultureInfo.InvariantCulture), report.Rows.ToString(CultureInfo.InvariantCulture), Format.Number(c.Alpha, 4),
            G(c.TopEigenvalues[0]), G(c.TopEigenvalues[^1]), $"{G(c.Trace)} ± {G(c.TraceStandardError)}", Format.Number(c.EffectiveDimension, 1),
            Format.Number(c.EffectiveDimensionTopK, 1), Format.Number(c.NegativeMass, 3),
        }).ToList();
        var markdown = new MarkdownTable(headers);
        foreach (var r in rows) markdown.AddRow(r);
        var eigenvalues = string.Join("\n", report.Curvatures.Select(c => $"- {c.Curvature}, top {c.TopEigenvalues.Length} eigenvalues: {string.Join(", ", c.TopEigenvalues.Select(G))}"));
        var json = JsonReport.Serialize(report);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"),
            $"# Curvature of {report.Method} at its weights\n\nα = {G(report.Alpha)} ({report.AlphaSource}); {report.Rows} rows.\n\n{markdown}\n\n{eigenvalues}\n");
        SpectralDensityPlot.Save(Path.Combine(directory, "spectral-density.png"), report.Curvatures.Select(Series).ToList(),
            $"Spectral density at the weights of {report.Method}");
        FormattedPrint.Table(env, format, json, markdown, $"curvature at the weights (α = {G(report.Alpha)}, {report.AlphaSource})", headers, rows, eigenvalues);
    }

    /// <summary>The density on 400 points spanning the quadrature nodes (padded by 5%), smoothed by a Gaussian of 1% of that span.</summary>
    private static DensitySeries Series(CurvatureSummary summary)
    {
        var (min, max) = summary.Density.Bounds();
        double span = Math.Max(max - min, Math.Max(Math.Abs(max), 1e-12) * 1e-3);
        double lo = min - 0.05 * span, hi = max + 0.05 * span;
        var grid = Enumerable.Range(0, 400).Select(i => lo + (hi - lo) * i / 399.0).ToArray();
        return new DensitySeries(summary.Curvature, grid, summary.Density.Smoothed(grid, 0.01 * span));
    }

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
}
