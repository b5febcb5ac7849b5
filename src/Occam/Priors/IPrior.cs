using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// A prior p(θ) over a network's flat weight vector θ ∈ ℝᴾ (<see cref="WeightSpace"/> order). Methods
/// use it through <see cref="LogPosterior"/>; a new prior is a new type and touches no method.
/// </summary>
public interface IPrior
{
    /// <summary>A short name for reports (e.g. "gaussian(λ=1)").</summary>
    string Name { get; }

    /// <summary>log p(θ) for θ [P] (any float dtype), as a float64 scalar tensor that carries gradients to θ.</summary>
    Tensor LogDensity(Tensor theta);

    /// <summary>
    /// Adds <paramref name="scale"/>·(−∇log p(θ)) to the gradients of the space's parameters, in place
    /// (the fast path of optimisers; e.g. coupled weight decay for a Gaussian). Parameters without a
    /// gradient are skipped.
    /// </summary>
    void AddNegativeLogDensityGradient(WeightSpace space, double scale);

    /// <summary>Draws <paramref name="count"/> weight vectors [count, P] (float32) for prior predictive checks; the caller owns them.</summary>
    Tensor Sample(int count, long size, Generator? generator = null);
}
