using System.Globalization;
using Occam.Inference;
using Occam.Priors;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Prints and writes the posterior inclusion probabilities of a fit under a spike-and-slab prior (inclusion.json, inclusion.md).</summary>
public static class InclusionOutput
{
    /// <summary>
    /// Prints the table and writes both files into <paramref name="outDir"/>; for a posterior without weight
    /// draws (e.g. a Gaussian over the weights) prints one line saying so and writes nothing.
    /// </summary>
    public static void Report(IAnsiConsole console, string outDir, string method, SpikeAndSlabPrior prior, IPosterior posterior, IReadOnlyList<string>? names)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!FeatureInclusion.Supports(posterior))
        {
            console.MarkupLine(Markup.Escape($"{method}: inclusion probabilities need weight draws (MAP, ensembles, SWA or a sampler); this posterior has none."));
            return;
        }
        var rows = FeatureInclusion.Of(prior, posterior, names is { Count: var c } && c == prior.Layout.Inputs ? names : null);
        var table = new Table().Title(Markup.Escape($"{method}: posterior inclusion probabilities ({prior.Name})"));
        foreach (var h in new[] { "feature", "prior ρ", "posterior inclusion" }) table.AddColumn(new TableColumn(h).RightAligned());
        var md = new MarkdownTable(["feature", "prior ρ", "posterior inclusion"]);
        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.Feature), F(r.Prior), F(r.Posterior));
            md.AddRow(r.Feature, F(r.Prior), F(r.Posterior));
        }
        console.Write(table);
        JsonReport.Write(Path.Combine(outDir, "inclusion.json"), new { method, prior = prior.Name, features = rows });
        AtomicFile.WriteAllText(Path.Combine(outDir, "inclusion.md"),
            $"# Posterior inclusion probabilities\n\n{method}, prior {prior.Name}. Rao-Blackwellised: the mean over the posterior's weight draws of p(γⱼ = 1 | wⱼ).\n\n{md}");
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
