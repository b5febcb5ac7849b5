using Occam.Core;
using Occam.Likelihoods;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// The tempered log-likelihood of subspace coordinates (Izmailov et al. 2019): with θ(z) = θ̄ + Pᵀz,
/// L(z) = (1/T) Σₙ log p(yₙ | xₙ, θ(z)) over a batch (the whole training set in subspace inference),
/// evaluated in chunks with the network in evaluation mode, and its gradient in z by backpropagation
/// through the network (∇_z L = P ∇_θ L). The prior on z is the sampler's. Mean and basis are float64;
/// coordinates are float64 [r] on the CPU. The network's weights are left at the last θ(z) evaluated.
/// </summary>
public sealed class SubspaceTarget : IDisposable
{
    private const int Chunk = 4096;
    private readonly WeightSpace _space;
    private readonly Likelihood _likelihood;
    private readonly Tensor _mean;
    private readonly Tensor _basis;

    /// <summary>Creates the target; copies <paramref name="mean"/> [P] and <paramref name="basis"/> [r, P].</summary>
    /// <param name="space">The network's weight space (evaluation mode).</param>
    /// <param name="likelihood">The likelihood (its parameters, e.g. a learned noise, stay fixed).</param>
    /// <param name="mean">θ̄.</param>
    /// <param name="basis">P, one basis vector per row.</param>
    /// <param name="temperature">T &gt; 0.</param>
    public SubspaceTarget(WeightSpace space, Likelihood likelihood, Tensor mean, Tensor basis, double temperature)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _likelihood = likelihood ?? throw new ArgumentNullException(nameof(likelihood));
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(basis);
        if (mean.dim() != 1 || mean.shape[0] != space.Count) throw new ArgumentException($"The mean must be [{space.Count}]; got [{string.Join(", ", mean.shape)}].", nameof(mean));
        if (basis.dim() != 2 || basis.shape[1] != space.Count || basis.shape[0] < 1)
            throw new ArgumentException($"The basis must be [r, {space.Count}]; got [{string.Join(", ", basis.shape)}].", nameof(basis));
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive and finite; got {temperature}.");
        _mean = mean.to(ScalarType.Float64, space.Device, copy: true).DetachFromDisposeScope();
        _basis = basis.to(ScalarType.Float64, space.Device, copy: true).DetachFromDisposeScope();
        Temperature = temperature;
    }

    /// <summary>r, the subspace dimension.</summary>
    public int Dimension => (int)_basis.shape[0];

    /// <summary>T.</summary>
    public double Temperature { get; }

    /// <summary>θ(z) = θ̄ + Pᵀz [P] (float64) for coordinates <paramref name="z"/> [r] or a batch [S, r] → [S, P].</summary>
    public Tensor Theta(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        var coordinates = z.to(ScalarType.Float64, _basis.device);
        return coordinates.matmul(_basis).add_(_mean).MoveToOuterDisposeScope();
    }

    /// <summary>L(z) on <paramref name="batch"/> (no gradient).</summary>
    public double LogLikelihood(Tensor z, Batch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _space.Set(Theta(z).to_type(_space.DType));
        double total = 0;
        long n = batch.Inputs.shape[0];
        for (long start = 0; start < n; start += Chunk)
        {
            long length = Math.Min(Chunk, n - start);
            var nll = _likelihood.NegativeLogLikelihood(_space.Forward(batch.Inputs.narrow(0, start, length)), batch.Targets.narrow(0, start, length));
            total -= nll.to_type(ScalarType.Float64).sum().item<double>();
        }
        return total / Temperature;
    }

    /// <summary>L(z) on <paramref name="batch"/> and its gradient ∇_z L [r] (float64, CPU, fresh).</summary>
    public (double Value, Tensor Gradient) LogLikelihoodAndGradient(Tensor z, Batch batch)
    {
        using var scope = NewDisposeScope();
        using (no_grad()) _space.Set(Theta(z).to_type(_space.DType));
        foreach (var p in _space.Parameters) p.grad?.zero_();
        double total = 0;
        long n = batch.Inputs.shape[0];
        for (long start = 0; start < n; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            long length = Math.Min(Chunk, n - start);
            var nll = _likelihood.NegativeLogLikelihood(_space.Forward(batch.Inputs.narrow(0, start, length)), batch.Targets.narrow(0, start, length)).sum();
            nll.backward();
            total -= nll.to_type(ScalarType.Float64).item<double>();
        }
        var gradient = _basis.matmul(_space.Gradient().to_type(ScalarType.Float64)).neg_().div_(Temperature).cpu();
        foreach (var p in _space.Parameters) p.grad?.zero_();
        foreach (var p in _likelihood.Parameters) p.grad?.zero_();
        return (total / Temperature, gradient.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _basis.Dispose();
    }
}
