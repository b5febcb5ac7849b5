using Occam.Data;

namespace Occam.Active;

/// <summary>The acquisition functions Occam ships, by name: parse a comma-separated list such as "bald,entropy,random".</summary>
public static class Acquisitions
{
    private static readonly Func<Acquisition>[] Factories =
    [
        () => new Bald(),
        () => new MaxEntropy(),
        () => new VariationRatios(),
        () => new MeanStd(),
        () => new BatchBald(),
        () => new EpistemicVariance(),
        () => new RandomAcquisition(),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["max-entropy"] = "entropy",
        ["var-ratios"] = "variation-ratios",
        ["mean-sd"] = "mean-std",
    };

    /// <summary>A fresh instance of each, in a fixed order.</summary>
    public static IReadOnlyList<Acquisition> All => Factories.Select(f => f()).ToList();

    /// <summary>Their names.</summary>
    public static IReadOnlyList<string> Names => All.Select(a => a.Name).ToList();

    /// <summary>The acquisition called <paramref name="name"/> (case-insensitive; "max-entropy" and "var-ratios" are accepted), or null.</summary>
    public static Acquisition? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        if (Aliases.TryGetValue(key, out var canonical)) key = canonical;
        return All.FirstOrDefault(a => a.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Parses a comma-separated list of names for data of <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">An empty list, an unknown or repeated name, or one that does not score this task; ParamName is "acquisition".</exception>
    public static IReadOnlyList<Acquisition> Parse(string text, TaskKind task)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException($"name at least one acquisition function ({string.Join(", ", Names)})", "acquisition");
        var list = new List<Acquisition>();
        foreach (var name in names)
        {
            var acquisition = Find(name) ?? throw new ArgumentException($"unknown acquisition function '{name}'; expected one of: {string.Join(", ", Names)}", "acquisition");
            if (!acquisition.Supports(task))
                throw new ArgumentException($"{acquisition.Name} does not score {task.ToString().ToLowerInvariant()} data; for {task.ToString().ToLowerInvariant()} use one of: {string.Join(", ", All.Where(a => a.Supports(task)).Select(a => a.Name))}", "acquisition");
            if (list.Any(a => a.Name == acquisition.Name)) throw new ArgumentException($"{acquisition.Name} is listed more than once", "acquisition");
            list.Add(acquisition);
        }
        return list;
    }
}
