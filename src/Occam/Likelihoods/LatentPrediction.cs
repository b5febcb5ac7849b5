using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>How a classification predictive is formed from a latent Gaussian over the logits.</summary>
public enum LatentLink
{
    /// <summary>
    /// Class probabilities by the probit approximation softmax(μ / √(1 + π/8 · diag Σ)); entropy and
    /// mutual information from S latent samples, so the epistemic part is kept.
    /// </summary>
    Probit,

    /// <summary>Everything from S latent samples f ~ N(μ, Σ): probabilities are the average of softmax(f).</summary>
    MonteCarlo,
}

/// <summary>Settings of <see cref="Likelihood.PredictLatent"/>.</summary>
/// <param name="Samples">Latent samples S for classification (≥ 1).</param>
/// <param name="Generator">Generator of the latent samples (same seed, same draws).</param>
/// <param name="Link">Probit (default) or Monte Carlo class probabilities.</param>
public sealed record LatentPrediction(int Samples, Generator Generator, LatentLink Link = LatentLink.Probit);
