using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.Laplace;
using Occam.Inference.Variational;

namespace Occam.Inference;

/// <summary>Method-specific knobs that the catalog passes on (each method reads its own).</summary>
/// <param name="Members">Ensemble size K.</param>
/// <param name="DropoutRate">MC dropout rate.</param>
/// <param name="Samples">MC dropout passes at prediction.</param>
/// <param name="Laplace">Laplace options (null: last-layer KFAC, GGN, GLM predictive, evidence-tuned prior).</param>
/// <param name="Ivon">IVON options (null: the reference defaults, learning rate 0.1, ess = N, δ from the prior).</param>
/// <param name="WeightSamples">Weight samples of IVON's predictive model average; default 64.</param>
/// <param name="Variational">Bayes-by-Backprop options (null: <see cref="VariationalOptions"/> defaults).</param>
public sealed record MethodOptions(int Members = 5, double DropoutRate = 0.05, int Samples = 100, LaplaceOptions? Laplace = null,
    IvonOptions? Ivon = null, int WeightSamples = 64, VariationalOptions? Variational = null);

/// <summary>Creates inference methods by name, the one place that maps CLI names to classes.</summary>
public static class MethodCatalog
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["map", "ensemble", "mc-dropout", "laplace", "ivon", "ivon@mean", "vi"];

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
            "laplace" => new LaplaceMethod(setup, options.Laplace),
            "ivon" => new IvonMethod(setup, options.Ivon, options.WeightSamples),
            "ivon@mean" or "ivon-mean" => new IvonMethod(setup, options.Ivon, options.WeightSamples, GaussianPrediction.Mean),
            "vi" or "bbb" => new BayesByBackpropMethod(setup, options.Variational),
            var variant when variant.StartsWith("laplace-", StringComparison.Ordinal) => new LaplaceMethod(setup, LaplaceVariant(variant, options.Laplace ?? new LaplaceOptions())),
            _ => throw new ArgumentException($"unknown method '{name}'; expected one of: {string.Join(", ", Names)}, or laplace-SUBSET-STRUCTURE (e.g. laplace-ll-kron, laplace-all-diag)", nameof(name)),
        };
    }

    /// <summary>Parses laplace-{ll|all|subnet}-{full|diag|kron|lowrank} into Laplace options.</summary>
    private static LaplaceOptions LaplaceVariant(string name, LaplaceOptions baseOptions)
    {
        var parts = name.Split('-');
        if (parts.Length != 3) throw new ArgumentException($"unknown method '{name}'; a Laplace variant reads laplace-SUBSET-STRUCTURE with SUBSET ll, all or subnet and STRUCTURE full, diag, kron or lowrank", nameof(name));
        WeightSubset subset = parts[1] switch
        {
            "ll" => WeightSubset.LastLayer,
            "all" => WeightSubset.All,
            "subnet" => WeightSubset.Subnetwork,
            _ => throw new ArgumentException($"unknown Laplace subset '{parts[1]}' in '{name}'; expected ll, all or subnet", nameof(name)),
        };
        HessianStructure structure = parts[2] switch
        {
            "full" => HessianStructure.Full,
            "diag" => HessianStructure.Diagonal,
            "kron" => HessianStructure.Kron,
            "lowrank" => HessianStructure.LowRank,
            _ => throw new ArgumentException($"unknown Laplace structure '{parts[2]}' in '{name}'; expected full, diag, kron or lowrank", nameof(name)),
        };
        return (baseOptions with { Subset = subset, Structure = structure }).Validate();
    }
}
