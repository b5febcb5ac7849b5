using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// A network that ends in a linear layer f(x) = φ(x)·W + b on features φ(x): what last-layer
/// methods (last-layer Laplace, last-layer Bayesian inference) need. Occam's <see cref="Mlp"/>
/// and <see cref="LeNet5"/> implement it; a user module can too.
/// </summary>
public interface ILastLayerNetwork
{
    /// <summary>The features φ(x) [N, F] feeding the last layer (evaluation mode, no dropout).</summary>
    Tensor Features(Tensor input);

    /// <summary>A detached copy of the last layer: weight W [F, O] (inputs × outputs) and bias b [O].</summary>
    (Tensor Weight, Tensor Bias) LastLayer();

    /// <summary>Overwrites the last layer with weight [F, O] and bias [O] (in place, no gradient).</summary>
    void SetLastLayer(Tensor weight, Tensor bias);
}
