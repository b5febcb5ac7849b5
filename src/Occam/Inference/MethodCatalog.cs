using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;

namespace Occam.Inference;

/// <summary>Method-specific knobs that the catalog passes on (each method reads its own).</summary>
/// <param name="Members">Ensemble size K.</param>
/// <param name="DropoutRate">MC dropout rate.</param>
/// <param name="Samples">MC dropout passes at prediction.</param>
public sealed record MethodOptions(int Members = 5, double DropoutRate = 0.05, int Samples = 100);

/// <summary>Creates inference methods by name, the one place that maps CLI names to classes.</summary>
public static class MethodCatalog
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["map", "ensemble", "mc-dropout"];

    /// <summary>Creates the method called <paramref name="name"/> for <paramref name="setup"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static IPosteriorMethod Create(string name, ModelSetup setup, MethodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        options ??= new MethodOptions();
        return name.Trim().ToLowerInvariant() switch
        {
            "map" => new MapMethod(setup),
            "ensemble" or "deep-ensemble" => new EnsembleMethod(setup, options.Members),
            "mc-dropout" or "dropout" => new McDropoutMethod(setup, options.DropoutRate, options.Samples),
            _ => throw new ArgumentException($"unknown method '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
