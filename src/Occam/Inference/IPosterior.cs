using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>
/// A fitted belief over a model's weights or functions (ensemble members, weight samples, a Gaussian in
/// weight space, a Gaussian over the network's outputs, a GP posterior) that predicts by Bayesian model
/// averaging. Every inference method ends in one of these; evaluation, benchmarks and the CLI see
/// nothing else.
/// </summary>
public interface IPosterior : IDisposable
{
    /// <summary>The method that produced it (e.g. "map", "ensemble", "laplace").</summary>
    string Method { get; }

    /// <summary>Regression or classification.</summary>
    TaskKind Task { get; }

    /// <summary>
    /// The Bayesian model average for float32 inputs <paramref name="x"/> [N, ...], in the data's original
    /// units. The caller owns (and disposes) the returned predictive; <paramref name="x"/> is not disposed.
    /// </summary>
    Predictive Predict(Tensor x, PredictOptions? options = null);

    /// <summary>Writes the posterior to <paramref name="directory"/> so the registry's loader can restore it.</summary>
    void Save(string directory);
}

/// <summary>Options of a prediction.</summary>
/// <param name="Samples">
/// Weight or latent samples S where the posterior draws them (null: its default). Posteriors that are a
/// fixed set of members (MAP, ensembles, samplers' kept samples) always average all their members.
/// </param>
/// <param name="BatchSize">Inputs per forward pass (bounds memory; default 4096).</param>
/// <param name="Seed">Seed of any sampling at prediction time (null: the fit's seed).</param>
/// <param name="AtMean">
/// Predict at the posterior mean instead of averaging (e.g. IVON@mean, SWAG at the SWA weights, MC
/// dropout with dropout off, Laplace at the MAP): no epistemic part. Refused by posteriors without a mean.
/// </param>
public sealed record PredictOptions(int? Samples = null, int BatchSize = 4096, long? Seed = null, bool AtMean = false)
{
    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public PredictOptions Validate()
    {
        if (Samples is < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
        if (BatchSize < 1) throw new ArgumentException($"The prediction batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        return this;
    }
}
