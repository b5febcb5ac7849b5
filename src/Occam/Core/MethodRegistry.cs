using Occam.Inference;
using Occam.Posteriors.Storage;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>Restores a saved posterior of one kind.</summary>
public delegate IPosterior PosteriorLoader(StoredPosterior stored, LoadContext context, MethodRegistry registry);

/// <summary>Restores a stored weight distribution of one kind from its tensors (valid during the call) and settings.</summary>
public delegate IWeightDistribution DistributionLoader(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings);

/// <summary>A method chosen by name, with a prediction mode: "ivon@mean" is IVON predicting at its mean.</summary>
/// <param name="Label">The name as written (for reports).</param>
/// <param name="Entry">The registered method.</param>
/// <param name="AtMean">Predict at the posterior mean.</param>
public sealed record MethodSelection(string Label, MethodEntry Entry, bool AtMean);

/// <summary>
/// The methods Occam knows and the loaders of the posterior kinds they produce. <see cref="Default"/>
/// holds Occam's own (one registration line per method); a user may build a registry with more.
/// </summary>
public sealed class MethodRegistry
{
    private static readonly Lazy<MethodRegistry> DefaultRegistry = new(DefaultMethods.Create);
    private readonly List<MethodEntry> _methods = [];
    private readonly Dictionary<string, PosteriorLoader> _formats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DistributionLoader> _distributions = new(StringComparer.Ordinal);

    /// <summary>Occam's registered methods and formats.</summary>
    public static MethodRegistry Default => DefaultRegistry.Value;

    /// <summary>The registered methods, in registration order.</summary>
    public IReadOnlyList<MethodEntry> Methods => _methods;

    /// <summary>Their names.</summary>
    public IEnumerable<string> Names => _methods.Select(m => m.Name);

    /// <summary>The posterior kinds it can load.</summary>
    public IEnumerable<string> FormatKinds => _formats.Keys;

    /// <summary>Adds a method; names are unique.</summary>
    public MethodRegistry Add(MethodEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Find(entry.Name) is not null) throw new ArgumentException($"A method called '{entry.Name}' is already registered.", nameof(entry));
        _methods.Add(entry);
        return this;
    }

    /// <summary>Adds the loader of a posterior kind.</summary>
    public MethodRegistry AddFormat(string kind, PosteriorLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        _formats.Add(kind, loader);
        return this;
    }

    /// <summary>Adds the loader of a weight-distribution kind.</summary>
    public MethodRegistry AddDistribution(string kind, DistributionLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        _distributions.Add(kind, loader);
        return this;
    }

    /// <summary>The method called <paramref name="name"/> (case-insensitive), or null.</summary>
    public MethodEntry? Find(string name) => _methods.FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses "NAME" or "NAME@mean".</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public MethodSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        bool atMean = t.EndsWith("@mean", StringComparison.OrdinalIgnoreCase);
        var name = atMean ? t[..^5] : t;
        var entry = Find(name) ?? throw new ArgumentException($"unknown method '{text}'; expected one of: {string.Join(", ", Names)} (add @mean to predict at the posterior mean)", nameof(text));
        return new MethodSelection(t, entry, atMean);
    }

    /// <summary>The loader of posterior kind <paramref name="kind"/>, or null.</summary>
    public PosteriorLoader? FindFormat(string kind) => _formats.GetValueOrDefault(kind);

    /// <summary>The loader of weight-distribution kind <paramref name="kind"/>, or null.</summary>
    public DistributionLoader? FindDistribution(string kind) => _distributions.GetValueOrDefault(kind);
}
