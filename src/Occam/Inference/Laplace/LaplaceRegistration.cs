using Occam.Core;

namespace Occam.Inference.Laplace;

/// <summary>
/// The Laplace methods in the registry: "laplace" (last-layer KFAC) and presets named laplace-SUBSET-STRUCTURE.
/// The all-weights presets keep the Gaussian noise at the MAP's instead of tuning it with the prior by the
/// evidence: over all weights the jointly tuned noise grows by a third to a half and the predictive becomes too
/// wide (docs/methods/laplace.md, "The noise of all-weights Laplace"); --tune-noise true restores joint tuning.
/// </summary>
public static class LaplaceRegistration
{
    /// <summary>Adds the Laplace methods and the loader of their saved posteriors.</summary>
    public static void Register(MethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Add(registry, "laplace", "Laplace approximation around the MAP (default: last layer, KFAC, GGN, linearised predictive, evidence-tuned prior)", new LaplaceOptions());
        foreach (var (name, subset, structure) in Presets)
            Add(registry, name, $"Laplace preset: {Describe(subset)}, {structure.ToString().ToLowerInvariant()} curvature" + (subset == WeightSubset.All ? ", noise kept at the MAP's" : ""),
                new LaplaceOptions { Subset = subset, Structure = structure, TuneNoise = subset != WeightSubset.All });
        registry.AddFormat(LaplaceStore.Kind, (stored, context, _) => LaplaceStore.Load(stored, context));
    }

    private static readonly (string Name, WeightSubset Subset, HessianStructure Structure)[] Presets =
    [
        ("laplace-ll-full", WeightSubset.LastLayer, HessianStructure.Full),
        ("laplace-ll-diag", WeightSubset.LastLayer, HessianStructure.Diagonal),
        ("laplace-all-kron", WeightSubset.All, HessianStructure.Kron),
        ("laplace-all-diag", WeightSubset.All, HessianStructure.Diagonal),
        ("laplace-all-full", WeightSubset.All, HessianStructure.Full),
        ("laplace-all-lowrank", WeightSubset.All, HessianStructure.LowRank),
        ("laplace-subnet", WeightSubset.Subnetwork, HessianStructure.Full),
    ];

    private static void Add(MethodRegistry registry, string name, string description, LaplaceOptions defaults) =>
        registry.Add(MethodEntry.Create(name, description, defaults, (setup, options) => new LaplaceMethod(setup, options, name)));

    private static string Describe(WeightSubset subset) => subset switch
    {
        WeightSubset.LastLayer => "last layer",
        WeightSubset.All => "all weights",
        _ => "subnetwork of the largest marginal variances",
    };
}
