using Occam.Core;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// SWAG's Gaussian over the weights (Maddox et al. 2019): N(θ̄, Σ) with the low-rank-plus-diagonal
/// covariance Σ = ½(Σ_diag + D Dᵀ/(K′ − 1)), where D [P, K′] holds the K′ deviations actually collected
/// (the published implementations divide by the maximum rank K even when fewer were collected; this one
/// divides by K′ − 1, the unbiased sample covariance of the deviations), or Σ = Σ_diag for SWAG-diagonal.
/// Draws are θ = θ̄ + √scale · (Σ_diag^½ z₁ + D z₂/√(K′ − 1))/√2 with z₁ ~ N(0, I_P), z₂ ~ N(0, I_K′), so
/// D Dᵀ is never formed. With a <see cref="BatchNormRefresh"/>, every draw (and the mean) gets batch-norm
/// statistics re-estimated at its weights. Mean, variances and deviations are float64.
/// </summary>
public sealed class LowRankGaussianWeights : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "low-rank-gaussian";

    private readonly Tensor _mean;
    private readonly Tensor _variance;
    private readonly Tensor _deviations;
    private readonly BatchNormRefresh? _batchNorm;

    /// <summary>Takes over the tensors (converted to float64).</summary>
    /// <param name="mean">θ̄ [P].</param>
    /// <param name="variance">Σ_diag [P], each entry positive (floor it first).</param>
    /// <param name="deviations">The K′ deviations as rows [K′, P] (K′ ≥ 2), or null for SWAG-diagonal.</param>
    /// <param name="scale">The factor on Σ when sampling (the paper uses 0.5).</param>
    /// <param name="defaultSamples">Draws per prediction when none is asked for.</param>
    /// <param name="batchNorm">Batch-norm re-estimation for networks that have it (taken over), or null.</param>
    public LowRankGaussianWeights(Tensor mean, Tensor variance, Tensor? deviations, double scale, int defaultSamples = 30, BatchNormRefresh? batchNorm = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        if (mean.dim() != 1 || !variance.shape.SequenceEqual(mean.shape))
            throw new ArgumentException($"Mean and variance must both be [P]; got [{string.Join(", ", mean.shape)}] and [{string.Join(", ", variance.shape)}].", nameof(variance));
        if (deviations is not null && (deviations.dim() != 2 || deviations.shape[1] != mean.shape[0] || deviations.shape[0] < 2))
            throw new ArgumentException($"Deviations must be [K′, {mean.shape[0]}] with K′ ≥ 2; got [{string.Join(", ", deviations.shape)}].", nameof(deviations));
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"The scale must be positive and finite; got {scale}.");
        if (defaultSamples < 1) throw new ArgumentOutOfRangeException(nameof(defaultSamples), $"Samples must be at least 1; got {defaultSamples}.");
        using (var check = variance.le(0).any())
            if (check.item<bool>()) throw new ArgumentException("Every variance must be positive; floor them first.", nameof(variance));
        _mean = TakeFloat64(mean);
        _variance = TakeFloat64(variance);
        _deviations = deviations is null ? zeros(new long[] { 0, _mean.shape[0] }, ScalarType.Float64, _mean.device).DetachFromDisposeScope() : TakeFloat64(deviations);
        Scale = scale;
        DefaultSamples = defaultSamples;
        _batchNorm = batchNorm;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public int DefaultSamples { get; }

    /// <inheritdoc />
    public bool HasMean => true;

    /// <summary>The factor on Σ when sampling.</summary>
    public double Scale { get; }

    /// <summary>K′, the deviations held (0 for SWAG-diagonal).</summary>
    public int Rank => (int)_deviations.shape[0];

    /// <summary>Whether this is SWAG-diagonal (no deviations).</summary>
    public bool IsDiagonal => Rank == 0;

    /// <summary>The batch-norm re-estimation every draw gets (owned by this distribution), or null.</summary>
    public BatchNormRefresh? BatchNorm => _batchNorm;

    /// <summary>A copy of θ̄ [P] (float64).</summary>
    public Tensor Mean() => _mean.clone();

    /// <summary>A copy of Σ_diag [P] (float64).</summary>
    public Tensor Variance() => _variance.clone();

    /// <summary>A copy of the deviations as rows [K′, P] (float64).</summary>
    public Tensor Deviations() => _deviations.clone();

    /// <summary>
    /// The dense SWAG covariance ½(Σ_diag + D Dᵀ/(K′ − 1)), or Σ_diag for SWAG-diagonal, without the scale
    /// (draws have covariance <see cref="Scale"/> times this): [P, P] float64, for tests and small networks.
    /// </summary>
    public Tensor Covariance()
    {
        using var scope = NewDisposeScope();
        var diagonal = diag(_variance);
        if (IsDiagonal) return diagonal.MoveToOuterDisposeScope();
        var lowRank = _deviations.t().matmul(_deviations) / (Rank - 1);
        return ((diagonal + lowRank) * 0.5).MoveToOuterDisposeScope();
    }

    /// <summary>S draws [S, P] (float64) from N(θ̄, scale · Σ) with <paramref name="generator"/>.</summary>
    public Tensor Sample(int samples, TorchSharp.torch.Generator generator)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        using var scope = NewDisposeScope();
        var device = _mean.device;
        var noise = randn(new long[] { samples, _mean.shape[0] }, ScalarType.Float64, device, generator: generator).mul_(_variance.sqrt());
        if (!IsDiagonal)
        {
            var z = randn(new long[] { samples, Rank }, ScalarType.Float64, device, generator: generator);
            noise.add_(z.matmul(_deviations), alpha: 1 / Math.Sqrt(Rank - 1)).mul_(Math.Sqrt(0.5));
        }
        return noise.mul_(Math.Sqrt(Scale)).add_(_mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(request);
        var thetas = request.AtMean ? _mean.unsqueeze(0).clone() : Sample(request.Samples ?? DefaultSamples, request.Generator);
        return _batchNorm is null ? new ThetaDraws(space, Network(thetas, space)) : _batchNorm.Draws(space, thetas);
    }

    /// <inheritdoc />
    public StoredDistribution Store()
    {
        var tensors = new Dictionary<string, Tensor> { ["mean"] = _mean.clone(), ["variance"] = _variance.clone() };
        if (!IsDiagonal) tensors["deviations"] = _deviations.clone();
        var settings = new Dictionary<string, double> { ["scale"] = Scale, ["samples"] = DefaultSamples };
        if (_batchNorm is not null)
        {
            tensors["batchnorm.inputs"] = _batchNorm.Inputs();
            settings["batchnorm.batch"] = _batchNorm.BatchSize;
        }
        return new StoredDistribution(KindName, tensors, settings);
    }

    /// <summary>An independent copy of the distribution and its BatchNorm subset (the caller disposes it).</summary>
    public LowRankGaussianWeights Copy() =>
        new(_mean.clone(), _variance.clone(), IsDiagonal ? null : _deviations.clone(), Scale, DefaultSamples,
            _batchNorm is null ? null : new BatchNormRefresh(_batchNorm.Inputs(), _batchNorm.BatchSize));

    /// <summary>Restores the stored form.</summary>
    public static LowRankGaussianWeights Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(settings);
        var batchNorm = tensors.TryGetValue("batchnorm.inputs", out var inputs) ? new BatchNormRefresh(inputs.clone(), (int)settings["batchnorm.batch"]) : null;
        return new LowRankGaussianWeights(tensors["mean"].clone(), tensors["variance"].clone(),
            tensors.TryGetValue("deviations", out var d) ? d.clone() : null, settings["scale"], (int)settings["samples"], batchNorm);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _variance.Dispose();
        _deviations.Dispose();
        _batchNorm?.Dispose();
    }

    /// <summary>Draws as the network's dtype and device (disposes <paramref name="thetas"/> when converting).</summary>
    internal static Tensor Network(Tensor thetas, WeightSpace space)
    {
        var converted = thetas.to(space.DType, space.Device);
        if (!ReferenceEquals(converted, thetas)) thetas.Dispose();
        return converted;
    }

    /// <summary>A detached float64 copy of <paramref name="t"/>, outside any dispose scope; disposes <paramref name="t"/>.</summary>
    internal static Tensor TakeFloat64(Tensor t)
    {
        Tensor converted;
        using (var detached = t.detach()) converted = detached.to_type(ScalarType.Float64);
        t.Dispose();
        return converted.DetachFromDisposeScope();
    }
}
