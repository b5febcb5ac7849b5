using Occam.Likelihoods;

namespace Occam.Inference;

/// <summary>The JSON form of a likelihood and its fitted scalars.</summary>
internal sealed record LikelihoodDto(string Kind, double[]? NoiseSd, bool LearnNoise, double MinVariance)
{
    public static LikelihoodDto From(Likelihood likelihood) => likelihood switch
    {
        GaussianLikelihood g => new LikelihoodDto("gaussian", g.NoiseSd, g.LearnNoise, 0),
        HeteroscedasticGaussianLikelihood h => new LikelihoodDto("heteroscedastic", null, false, h.MinVariance),
        CategoricalLikelihood => new LikelihoodDto("categorical", null, false, 0),
        _ => throw new NotSupportedException($"Saving a {likelihood.Name} likelihood is not supported."),
    };

    public Likelihood ToLikelihood(int members)
    {
        switch (Kind)
        {
            case "gaussian":
                var g = (GaussianLikelihood)new GaussianLikelihood(1.0, LearnNoise).ForMembers(members);
                g.SetNoiseSd(NoiseSd ?? [1.0]);
                return g;
            case "heteroscedastic":
                return new HeteroscedasticGaussianLikelihood(MinVariance);
            case "categorical":
                return new CategoricalLikelihood();
            default:
                throw new NotSupportedException($"Unknown likelihood kind '{Kind}'.");
        }
    }
}
