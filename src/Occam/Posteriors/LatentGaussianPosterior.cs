using Occam.Inference;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// A posterior over functions given as a Gaussian over the model's outputs at each input,
/// f(x) ~ N(μ(x), Σ(x)) (the linearised Laplace approximation; Gaussian processes), turned into a
/// predictive by the likelihood: in closed form for regression, by S latent samples for classification
/// (probabilities by the probit approximation or the samples; entropy and mutual information from the
/// samples, so the epistemic part is kept).
/// </summary>
public abstract class LatentGaussianPosterior : Posterior
{
    /// <summary>Sets the name, frame, likelihood (owned by the posterior) and default seed.</summary>
    protected LatentGaussianPosterior(string method, ModelFrame frame, Likelihood likelihood, long seed) : base(method, frame, seed)
    {
        Likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
    }

    /// <summary>The likelihood that turns the latent Gaussian into a predictive.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>Latent samples per prediction for classification when none is asked for.</summary>
    public abstract int DefaultSamples { get; }

    /// <summary>How class probabilities are formed (default probit).</summary>
    public virtual LatentLink Link => LatentLink.Probit;

    /// <summary>The largest chunk of inputs to process at once (null: no preference).</summary>
    protected virtual int? PreferredBatch => null;

    /// <summary>
    /// The latent mean [N, O] and covariance [N, O, O] (float64) for a chunk of standardised inputs, in
    /// standardised target units. The caller owns both.
    /// </summary>
    public abstract (Tensor Mean, Tensor Covariance) Latent(Tensor standardisedInputs);

    /// <inheritdoc />
    protected override ChunkPredictor BeginPrediction(PredictOptions options, long seed, Generator generator)
    {
        var prediction = new LatentPrediction(options.Samples ?? DefaultSamples, generator, Link);
        return new ChunkPredictor(chunk =>
        {
            var (mean, covariance) = Latent(chunk);
            using (mean)
            using (covariance)
            {
                if (options.AtMean) covariance.zero_();
                return Likelihood.PredictLatent(mean, covariance, prediction);
            }
        }, preferredBatch: PreferredBatch);
    }

    /// <inheritdoc />
    protected override void DisposeCore() => Likelihood.Dispose();
}
