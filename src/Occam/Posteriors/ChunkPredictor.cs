using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// What a posterior prepared for one prediction: a function from a chunk of standardised inputs to its
/// predictive, the resources shared by all chunks (e.g. the weight samples, which must be the same for
/// every chunk), and an optional preferred chunk size.
/// </summary>
public sealed class ChunkPredictor : IDisposable
{
    private readonly Func<Tensor, Predictive> _predict;
    private readonly IDisposable? _resources;

    /// <summary>Creates the predictor; it disposes <paramref name="resources"/> when disposed.</summary>
    public ChunkPredictor(Func<Tensor, Predictive> predict, IDisposable? resources = null, int? preferredBatch = null)
    {
        _predict = predict ?? throw new ArgumentNullException(nameof(predict));
        _resources = resources;
        PreferredBatch = preferredBatch;
    }

    /// <summary>The largest chunk the posterior wants (null: no preference).</summary>
    public int? PreferredBatch { get; }

    /// <summary>The predictive of one chunk of standardised inputs, in standardised target units.</summary>
    public Predictive Predict(Tensor chunk) => _predict(chunk);

    /// <inheritdoc />
    public void Dispose() => _resources?.Dispose();
}
