using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>
/// A fitted belief over a model's weights (ensemble members, a Gaussian, samples, ...) that
/// predicts by Bayesian model averaging. Every inference method ends in one of these.
/// </summary>
public interface IPosterior : IDisposable
{
    /// <summary>The method that produced it (e.g. "map", "ensemble", "mc-dropout").</summary>
    string Method { get; }

    /// <summary>Regression or classification.</summary>
    TaskKind Task { get; }

    /// <summary>The Bayesian model average for inputs <paramref name="x"/> [N, ...], in the data's original units.</summary>
    Predictive Predict(Tensor x, PredictOptions? options = null);

    /// <summary>Writes the posterior to <paramref name="directory"/> so <see cref="PosteriorStore.Load"/> can restore it.</summary>
    void Save(string directory);
}

/// <summary>Options of a prediction.</summary>
/// <param name="Samples">Members or samples to average where the method samples (null: the method's default).</param>
/// <param name="BatchSize">Inputs per forward pass (bounds memory).</param>
/// <param name="Seed">Seed of any sampling at prediction time (null: the fit's seed).</param>
public sealed record PredictOptions(int? Samples = null, int BatchSize = 4096, long? Seed = null);
