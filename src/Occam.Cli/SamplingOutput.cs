using System.Globalization;
using Occam.Evaluation.Diagnostics;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Prints the convergence diagnostics of a sampled posterior (R̂, bulk and tail ESS per summary; the sampler's statistics).</summary>
public static class SamplingOutput
{
    /// <summary>Prints <paramref name="diagnostics"/> as a table and a line of sampler statistics.</summary>
    public static void Print(IAnsiConsole console, string method, SamplingDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var table = new Table().Title(Markup.Escape($"{method}: convergence of {diagnostics.Chains} chains × {diagnostics.DrawsPerChain} draws"));
        foreach (var h in new[] { "summary", "R̂", "bulk ESS", "tail ESS" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var s in diagnostics.Summaries)
            table.AddRow(Markup.Escape(s.Name + (s.WeightSpace ? " (weights)" : "")), F(s.Rhat, 3), F(s.BulkEss, 0), F(s.TailEss, 0));
        console.Write(table);
        if (diagnostics.Sampler.Count > 0)
            console.MarkupLine(Markup.Escape(string.Join(", ", diagnostics.Sampler.Select(kv => $"{kv.Key.Replace('_', ' ')} {F(kv.Value, 4, general: true)}"))));
        if (diagnostics.MaxFunctionRhat > 1.05)
            console.MarkupLine(Markup.Escape($"warning: R̂ {F(diagnostics.MaxFunctionRhat, 3)} > 1.05 on a function-space summary: the chains disagree; run longer or check the step size."));
    }

    /// <summary>The diagnostics as a markdown table.</summary>
    public static string Markdown(SamplingDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var md = new MarkdownTable(["summary", "R̂", "bulk ESS", "tail ESS"]);
        foreach (var s in diagnostics.Summaries) md.AddRow(s.Name + (s.WeightSpace ? " (weights)" : ""), F(s.Rhat, 3), F(s.BulkEss, 0), F(s.TailEss, 0));
        return md.ToString();
    }

    private static string F(double v, int digits, bool general = false) =>
        general ? v.ToString("G" + digits, CultureInfo.InvariantCulture) : v.ToString("F" + digits, CultureInfo.InvariantCulture);
}
