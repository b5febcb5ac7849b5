using Occam.Core;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// The belief of subspace inference: S posterior samples of the coordinates z in the affine subspace
/// θ = θ̄ + Pᵀz (Izmailov et al. 2019), kept as the mean θ̄ [P], the basis P [r, P] and the samples
/// [S, r] (float64). A prediction uses S′ of the samples, evenly spaced along the chain (all by default),
/// or the mean θ̄, the SWA solution. With a <see cref="BatchNormRefresh"/>, every draw gets batch-norm
/// statistics re-estimated at its weights.
/// </summary>
public sealed class SubspaceWeights : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "subspace-samples";

    private readonly Tensor _mean;
    private readonly Tensor _basis;
    private readonly Tensor _coordinates;
    private readonly BatchNormRefresh? _batchNorm;

    /// <summary>Takes over the tensors.</summary>
    /// <param name="mean">θ̄ [P].</param>
    /// <param name="basis">P [r, P].</param>
    /// <param name="coordinates">The samples [S, r].</param>
    /// <param name="batchNorm">Batch-norm re-estimation (taken over), or null.</param>
    public SubspaceWeights(Tensor mean, Tensor basis, Tensor coordinates, BatchNormRefresh? batchNorm = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(coordinates);
        if (mean.dim() != 1 || basis.dim() != 2 || basis.shape[1] != mean.shape[0] || coordinates.dim() != 2 || coordinates.shape[1] != basis.shape[0] || coordinates.shape[0] < 1)
            throw new ArgumentException($"Expected mean [P], basis [r, P] and samples [S, r]; got [{string.Join(", ", mean.shape)}], [{string.Join(", ", basis.shape)}] and [{string.Join(", ", coordinates.shape)}].", nameof(coordinates));
        _mean = LowRankGaussianWeights.TakeFloat64(mean);
        _basis = LowRankGaussianWeights.TakeFloat64(basis);
        _coordinates = LowRankGaussianWeights.TakeFloat64(coordinates);
        _batchNorm = batchNorm;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public int DefaultSamples => (int)_coordinates.shape[0];

    /// <inheritdoc />
    public bool HasMean => true;

    /// <summary>r, the subspace dimension.</summary>
    public int Dimension => (int)_basis.shape[0];

    /// <summary>A copy of the samples' coordinates [S, r] (float64).</summary>
    public Tensor Coordinates() => _coordinates.clone();

    /// <summary>A copy of the basis [r, P] (float64).</summary>
    public Tensor Basis() => _basis.clone();

    /// <summary>The weight vectors of the samples [S, P] (float64, fresh).</summary>
    public Tensor Thetas()
    {
        using var scope = NewDisposeScope();
        return _coordinates.matmul(_basis).add_(_mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(request);
        Tensor thetas;
        if (request.AtMean) thetas = _mean.unsqueeze(0).clone();
        else
        {
            int s = request.Samples ?? DefaultSamples;
            if (s > DefaultSamples) throw new ArgumentException($"Subspace inference kept {DefaultSamples} samples; ask for at most that many (got {s}).", nameof(request));
            using var scope = NewDisposeScope();
            var picked = s == DefaultSamples ? _coordinates : _coordinates.index_select(0, linspace(0, DefaultSamples - 1, s).round().to_type(ScalarType.Int64));
            thetas = picked.matmul(_basis).add_(_mean).MoveToOuterDisposeScope();
        }
        return _batchNorm is null ? new ThetaDraws(space, LowRankGaussianWeights.Network(thetas, space)) : _batchNorm.Draws(space, thetas);
    }

    /// <inheritdoc />
    public StoredDistribution Store()
    {
        var tensors = new Dictionary<string, Tensor> { ["mean"] = _mean.clone(), ["basis"] = _basis.clone(), ["coordinates"] = _coordinates.clone() };
        var settings = new Dictionary<string, double>();
        if (_batchNorm is not null)
        {
            tensors["batchnorm.inputs"] = _batchNorm.Inputs();
            settings["batchnorm.batch"] = _batchNorm.BatchSize;
        }
        return new StoredDistribution(KindName, tensors, settings);
    }

    /// <summary>Restores the stored form.</summary>
    public static SubspaceWeights Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(settings);
        var batchNorm = tensors.TryGetValue("batchnorm.inputs", out var inputs) ? new BatchNormRefresh(inputs.clone(), (int)settings["batchnorm.batch"]) : null;
        return new SubspaceWeights(tensors["mean"].clone(), tensors["basis"].clone(), tensors["coordinates"].clone(), batchNorm);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _basis.Dispose();
        _coordinates.Dispose();
        _batchNorm?.Dispose();
    }
}
