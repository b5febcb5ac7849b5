using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// A potential energy U(z) = −log π(z) + const of K independent chains, over a position held as blocks of
/// tensors that the sampler moves in place (a network's parameters, or any leaf tensors that require
/// gradients). Each block has a leading chain dimension of size K, or any shape when K = 1. HMC needs only
/// this, so it samples any differentiable density, not just a network's posterior.
/// </summary>
public interface IPotential
{
    /// <summary>K, the chains.</summary>
    int Chains { get; }

    /// <summary>The position's blocks (leaf tensors requiring gradients), moved in place by the sampler.</summary>
    IReadOnlyList<Tensor> Position { get; }

    /// <summary>
    /// Evaluates the potential at the current position and leaves ∇U in each block's <c>grad</c> (replacing
    /// what was there). Returns U per chain, float64 [K] (a fresh detached tensor), when
    /// <paramref name="withValue"/> is set, else null (the gradient alone can be cheaper).
    /// </summary>
    Tensor? Evaluate(bool withValue);
}
