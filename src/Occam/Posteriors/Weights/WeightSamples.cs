using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Posteriors.Weights;

/// <summary>
/// A fixed set of K weight vectors θ [K, P] averaged with equal weights: MAP (K = 1), a deep ensemble's
/// members, SWA's averaged weights, or the samples an MCMC chain kept. Every prediction uses all K.
/// </summary>
public sealed class WeightSamples : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "samples";

    private readonly Tensor _thetas;

    /// <summary>Takes over <paramref name="thetas"/> [K, P] (float, K ≥ 1).</summary>
    public WeightSamples(Tensor thetas)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        if (thetas.dim() != 2 || thetas.shape[0] < 1) throw new ArgumentException($"Expected weight vectors [K, P]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        _thetas = thetas.detach().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>K, the number of weight vectors.</summary>
    public int Count => (int)_thetas.shape[0];

    /// <inheritdoc />
    public int DefaultSamples => Count;

    /// <inheritdoc />
    public bool HasMean => Count == 1;

    /// <summary>A copy of the weight vectors [K, P].</summary>
    public Tensor Thetas() => _thetas.clone();

    /// <inheritdoc />
    public Tensor? CentreWeights(WeightSpace space) => Count == 1 ? _thetas[0].clone() : null;

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(request);
        if (request.AtMean && !HasMean)
            throw new ArgumentException($"A set of {Count} weight vectors has no mean to predict at; predict with the model average instead.", nameof(request));
        return new ThetaDraws(space, _thetas.alias());
    }

    /// <inheritdoc />
    public StoredDistribution Store() => new(KindName, new Dictionary<string, Tensor> { ["thetas"] = _thetas.clone() }, new Dictionary<string, double>());

    /// <summary>Restores the stored form.</summary>
    public static WeightSamples Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings) => new(tensors["thetas"].clone());

    /// <inheritdoc />
    public void Dispose() => _thetas.Dispose();
}
