using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Posteriors.Weights;

/// <summary>
/// A factorised Gaussian q(θ) = N(m, diag σ²), the posterior of IVON and of mean-field variational
/// inference. Predicts by the model average over S draws θₛ = m + σ ⊙ εₛ (default 64), or at m.
/// </summary>
public sealed class DiagonalGaussianWeights : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "diagonal-gaussian";

    private readonly Tensor _mean;
    private readonly Tensor _sd;

    /// <summary>Takes over <paramref name="mean"/> and <paramref name="sd"/> (float [P] each, σ &gt; 0).</summary>
    public DiagonalGaussianWeights(Tensor mean, Tensor sd, int defaultSamples = 64)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(sd);
        if (mean.dim() != 1 || !sd.shape.SequenceEqual(mean.shape))
            throw new ArgumentException($"Mean and sd must both be [P]; got [{string.Join(", ", mean.shape)}] and [{string.Join(", ", sd.shape)}].", nameof(sd));
        if (defaultSamples < 1) throw new ArgumentOutOfRangeException(nameof(defaultSamples), $"Samples must be at least 1; got {defaultSamples}.");
        _mean = mean.detach().DetachFromDisposeScope();
        _sd = sd.detach().DetachFromDisposeScope();
        DefaultSamples = defaultSamples;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public int DefaultSamples { get; }

    /// <inheritdoc />
    public bool HasMean => true;

    /// <summary>A copy of the mean m [P].</summary>
    public Tensor Mean() => _mean.clone();

    /// <inheritdoc />
    public Tensor? CentreWeights(WeightSpace space) => _mean.clone();

    /// <summary>A copy of the standard deviations σ [P].</summary>
    public Tensor StandardDeviation() => _sd.clone();

    /// <summary>S draws θₛ = m + σ ⊙ εₛ, εₛ ~ N(0, I) from <paramref name="generator"/>: [S, P].</summary>
    public Tensor Sample(int samples, TorchSharp.torch.Generator generator)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        using var scope = NewDisposeScope();
        var noise = randn(new long[] { samples, _sd.shape[0] }, dtype: _sd.dtype, device: _sd.device, generator: generator);
        return noise.mul_(_sd).add_(_mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var thetas = request.AtMean ? _mean.unsqueeze(0).clone() : Sample(request.Samples ?? DefaultSamples, request.Generator);
        return new ThetaDraws(space, thetas);
    }

    /// <inheritdoc />
    public StoredDistribution Store() =>
        new(KindName, new Dictionary<string, Tensor> { ["mean"] = _mean.clone(), ["sd"] = _sd.clone() }, new Dictionary<string, double> { ["samples"] = DefaultSamples });

    /// <summary>Restores the stored form.</summary>
    public static DiagonalGaussianWeights Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings) =>
        new(tensors["mean"].clone(), tensors["sd"].clone(), (int)settings["samples"]);

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _sd.Dispose();
    }
}
