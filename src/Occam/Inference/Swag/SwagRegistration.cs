using Occam.Core;

namespace Occam.Inference.Swag;

/// <summary>Registers the SWAG family: swag, swag-diag, multiswag and subspace, their weight distributions and the mixture posterior's format.</summary>
public static class SwagRegistration
{
    /// <summary>Adds the family to <paramref name="registry"/>.</summary>
    public static void Register(MethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddFormat(WeightMixtureStore.Kind, (stored, context, r) => WeightMixtureStore.Load(stored, context, r))
            .AddDistribution(LowRankGaussianWeights.KindName, LowRankGaussianWeights.Load)
            .AddDistribution(SubspaceWeights.KindName, SubspaceWeights.Load);
        registry.Add(SwagMethod.Entry);
        registry.Add(SwagMethod.DiagonalEntry);
        registry.Add(MultiSwagMethod.Entry);
        registry.Add(SubspaceMethod.Entry);
    }
}
