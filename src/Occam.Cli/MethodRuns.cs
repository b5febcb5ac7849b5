using Occam.Core;
using Occam.Core.Options;
using Occam.Evaluation;
using Occam.Inference;

namespace Occam.Cli;

/// <summary>Turns a comma-separated method list such as "map,ivon,ivon@mean" into runs: one fit per method, one row per listed prediction variant.</summary>
public static class MethodRuns
{
    /// <summary>The runs of <paramref name="text"/>, each method built on <paramref name="setup"/> with the given method flags.</summary>
    /// <exception cref="ArgumentException">An empty list, an unknown or repeated name, or a flag no listed method takes.</exception>
    public static IReadOnlyList<MethodRun> Parse(string text, MethodRegistry registry, MethodFlags flags, IReadOnlyDictionary<string, string> given, ModelSetup setup)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException($"--methods must name at least one method ({string.Join(", ", registry.Names)})");
        var selections = names.Select(registry.Parse).ToList();
        var repeated = selections.GroupBy(s => s.Label, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"--methods lists {repeated.Key} more than once");
        var entries = selections.Select(s => s.Entry).Distinct().ToList();
        var options = flags.Bind(entries, given);
        return entries.Select((entry, i) => new MethodRun(entry.Create(setup, options[i]),
            selections.Where(s => s.Entry == entry).Select(s => new PredictionVariant(s.Label, new PredictOptions(AtMean: s.AtMean))).ToList())).ToList();
    }

    /// <summary>A method's options as "name=value" pairs (for reports).</summary>
    public static string Describe(IPosteriorMethod method) => OptionBinder.Summary(method.Options);
}
