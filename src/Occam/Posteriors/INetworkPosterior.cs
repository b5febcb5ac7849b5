using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// A posterior built around one network: the network, its likelihood, and the weights at the posterior's
/// centre (the MAP of Laplace and MAP, the mean of IVON and VI), where the curvature of the loss landscape
/// is measured (see <c>Occam.Geometry</c>).
/// </summary>
public interface INetworkPosterior
{
    /// <summary>The network (owned by the posterior; do not dispose). Its own weights may be a template: use <see cref="CentreWeights"/>.</summary>
    nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The likelihood with its fitted noise (owned by the posterior).</summary>
    Likelihood Likelihood { get; }

    /// <summary>
    /// The network's weights θ [P] at the posterior's centre, in <c>WeightSpace</c> order and the network's
    /// dtype, as a fresh tensor the caller owns; null when there is no single centre (an ensemble of members).
    /// </summary>
    Tensor? CentreWeights();
}
