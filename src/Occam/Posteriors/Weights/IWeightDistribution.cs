using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors.Weights;

/// <summary>
/// A belief over a network's weight vector θ (<see cref="WeightSpace"/> order) that a
/// <see cref="WeightPosterior"/> predicts with by running the network at its draws: a fixed set of
/// members or samples, a Gaussian (diagonal, low-rank plus diagonal, ...), or dropout masks.
/// </summary>
public interface IWeightDistribution : IDisposable
{
    /// <summary>The kind, as stored in a saved posterior (e.g. "samples", "diagonal-gaussian", "dropout").</summary>
    string Kind { get; }

    /// <summary>Draws per prediction when none is asked for (a fixed set: its size).</summary>
    int DefaultSamples { get; }

    /// <summary>Whether the distribution has a mean to predict at (<see cref="Inference.PredictOptions.AtMean"/>).</summary>
    bool HasMean { get; }

    /// <summary>Prepares the draws of one prediction; the same draws serve every chunk of inputs. The caller disposes them.</summary>
    WeightDraws Draw(WeightSpace space, DrawRequest request);

    /// <summary>What a saved posterior stores: named tensors (copies the caller disposes) and scalar settings.</summary>
    StoredDistribution Store();

    /// <summary>
    /// The single weight vector at the distribution's centre (its mean, or its one member), [P] in the
    /// space's order, as a fresh tensor the caller owns; null when there is none (several members).
    /// </summary>
    Tensor? CentreWeights(WeightSpace space) => null;
}

/// <summary>What one prediction asks of a distribution.</summary>
/// <param name="Samples">Draws wanted (null: the default).</param>
/// <param name="AtMean">Predict at the mean instead of drawing.</param>
/// <param name="Seed">Seed of the draws (for draws from libtorch's global generator, e.g. dropout masks).</param>
/// <param name="Generator">Generator of the draws, seeded with <paramref name="Seed"/>.</param>
public sealed record DrawRequest(int? Samples, bool AtMean, long Seed, Generator Generator);

/// <summary>A distribution's stored form: its kind, named tensors and scalar settings.</summary>
/// <param name="Kind">The distribution kind.</param>
/// <param name="Tensors">Named tensors (owned by the holder of this record).</param>
/// <param name="Settings">Named scalars (e.g. the default number of samples).</param>
public sealed record StoredDistribution(string Kind, IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, double> Settings);

/// <summary>The draws of one prediction: outputs [S, N, O] for each chunk of inputs [N, ...].</summary>
public abstract class WeightDraws : IDisposable
{
    /// <summary>Raw network outputs [S, N, O] at the draws for a chunk of standardised inputs.</summary>
    public abstract Tensor Outputs(Tensor chunk);

    /// <inheritdoc />
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Draws that are explicit weight vectors θ [S, P], run through <see cref="WeightSpace.ForwardMany"/>.</summary>
public sealed class ThetaDraws : WeightDraws
{
    private readonly WeightSpace _space;
    private readonly Tensor _thetas;

    /// <summary>Takes over <paramref name="thetas"/> [S, P].</summary>
    public ThetaDraws(WeightSpace space, Tensor thetas)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _thetas = (thetas ?? throw new ArgumentNullException(nameof(thetas))).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Outputs(Tensor chunk) => _space.ForwardMany(_thetas, chunk);

    /// <inheritdoc />
    public override void Dispose()
    {
        _thetas.Dispose();
        base.Dispose();
    }
}
