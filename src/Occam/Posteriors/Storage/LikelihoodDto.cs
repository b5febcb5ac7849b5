using Occam.Likelihoods;

namespace Occam.Posteriors.Storage;

/// <summary>The JSON form of a likelihood and its fitted scalars (one noise sd per member).</summary>
/// <param name="Kind">"gaussian", "heteroscedastic" or "categorical".</param>
/// <param name="NoiseSd">Gaussian noise sd per member.</param>
/// <param name="LearnNoise">Whether the Gaussian noise was learned.</param>
/// <param name="MinVariance">The heteroscedastic variance floor.</param>
/// <param name="Members">Members K the likelihood holds.</param>
/// <param name="Beta">The heteroscedastic β-NLL training weight.</param>
public sealed record LikelihoodDto(string Kind, double[]? NoiseSd, bool LearnNoise, double MinVariance, int Members = 1, double Beta = 0)
{
    /// <summary>The stored form of <paramref name="likelihood"/>.</summary>
    public static LikelihoodDto From(Likelihood likelihood) => likelihood switch
    {
        GaussianLikelihood g => new LikelihoodDto("gaussian", g.NoiseSd, g.LearnNoise, 0, g.Members),
        HeteroscedasticGaussianLikelihood h => new LikelihoodDto("heteroscedastic", null, false, h.MinVariance, 1, h.Beta),
        CategoricalLikelihood => new LikelihoodDto("categorical", null, false, 0),
        _ => throw new NotSupportedException($"Saving a {likelihood.Name} likelihood is not supported."),
    };

    /// <summary>Rebuilds the likelihood (its parameters on the CPU).</summary>
    public Likelihood ToLikelihood()
    {
        switch (Kind)
        {
            case "gaussian":
                var g = (GaussianLikelihood)new GaussianLikelihood(1.0, LearnNoise).ForMembers(Math.Max(1, Members));
                g.SetNoiseSd(NoiseSd ?? [1.0]);
                return g;
            case "heteroscedastic":
                return new HeteroscedasticGaussianLikelihood(MinVariance, Beta);
            case "categorical":
                return new CategoricalLikelihood();
            default:
                throw new NotSupportedException($"Unknown likelihood kind '{Kind}'.");
        }
    }
}
