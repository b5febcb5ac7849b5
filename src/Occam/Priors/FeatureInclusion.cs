using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>One input feature's inclusion under a spike-and-slab prior.</summary>
/// <param name="Feature">The feature's name (its column, or "x{j}" when unnamed).</param>
/// <param name="Prior">ρⱼ, the prior inclusion probability.</param>
/// <param name="Posterior">p(γⱼ = 1 | D), Rao-Blackwellised over the posterior's weight draws.</param>
public sealed record FeatureInclusion(string Feature, double Prior, double Posterior)
{
    /// <summary>Whether <paramref name="posterior"/> holds explicit weight draws that <see cref="Of"/> can average over.</summary>
    public static bool Supports(IPosterior posterior) => posterior is WeightPosterior { Distribution: ChainSamples or WeightSamples };

    /// <summary>
    /// The posterior inclusion probabilities of a fitted posterior whose weights are a set of draws: a
    /// sampler's chains (<see cref="ChainSamples"/>) or fixed members (<see cref="WeightSamples"/>: MAP,
    /// ensembles, SWA). For a single MAP network the value is rⱼ at the mode, not a posterior average.
    /// </summary>
    /// <param name="prior">The prior the posterior was fitted under.</param>
    /// <param name="posterior">The fitted posterior.</param>
    /// <param name="names">Feature names (d of them), or null for x1, x2, ….</param>
    /// <exception cref="ArgumentException">A posterior without explicit weight draws, or names of the wrong count.</exception>
    public static IReadOnlyList<FeatureInclusion> Of(SpikeAndSlabPrior prior, IPosterior posterior, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(posterior);
        int d = prior.Layout.Inputs;
        if (names is not null && names.Count != d) throw new ArgumentException($"Expected {d} feature names; got {names.Count}.", nameof(names));
        Tensor thetas = posterior is WeightPosterior { Distribution: var distribution } ? distribution switch
        {
            ChainSamples chains => chains.Thetas(),
            WeightSamples samples => samples.Thetas(),
            _ => throw new ArgumentException($"Inclusion probabilities need weight draws; the {posterior.Method} posterior holds a {distribution.Kind} distribution.", nameof(posterior)),
        } : throw new ArgumentException($"Inclusion probabilities need a posterior over network weights; got the {posterior.Method} posterior.", nameof(posterior));
        using (thetas)
        {
            var p = prior.InclusionProbabilities(thetas);
            return [.. Enumerable.Range(0, d).Select(j => new FeatureInclusion(names?[j] ?? $"x{j + 1}", prior.Inclusion[j], p[j]))];
        }
    }
}
