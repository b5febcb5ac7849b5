using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The part of a network a Laplace approximation works on: fixed features followed by layers whose
/// weights θ are covered. Each layer's weights form one block [a, b] row-major (augmented input index ×
/// output unit), so its curvature block is a Kronecker product (inputs ⊗ outputs), and each layer gives
/// its Jacobian as factors (see <see cref="FactorAlgebra"/>). Two kinds exist: a stack of linear layers
/// (<see cref="LinearStack"/>: Occam's Mlp, or any network's last layer) and a convolutional network
/// (<see cref="ConvStack"/>: Occam's LeNet5), and any module of Linear and Conv2d layers (<see cref="ModuleStack"/>). θ* is kept in float64; the passes run in the network's dtype.
/// </summary>
internal abstract class WeightStack : IDisposable
{
    /// <summary>dtype of the forward and Jacobian passes (the network's); curvature is accumulated in float64.</summary>
    public abstract ScalarType ComputeType { get; }

    /// <summary>Augmented shapes [a, b] of the layers' weight blocks, in θ order.</summary>
    public abstract IReadOnlyList<(long Inputs, long Outputs)> LayerShapes { get; }

    /// <summary>Weights per layer.</summary>
    public long[] LayerSizes => LayerShapes.Select(s => s.Inputs * s.Outputs).ToArray();

    /// <summary>P, the weights covered.</summary>
    public long ParameterCount => LayerSizes.Sum();

    /// <summary>Network outputs O.</summary>
    public int Outputs => (int)LayerShapes[^1].Outputs;

    /// <summary>
    /// Examples per pass that keep the factors (and a dense Jacobian) of a batch to a modest size, when
    /// every example carries <paramref name="rows"/> gradient rows (O for the GGN, 1 for a Fisher).
    /// </summary>
    public virtual int PreferredBatch(int rows) => int.MaxValue;

    /// <summary>The stack's weights θ* as one vector [P] (float64).</summary>
    public abstract Tensor Theta();

    /// <summary>Features (the stack's input) for network inputs x, in the compute dtype (no gradient).</summary>
    public abstract Tensor Features(Tensor x);

    /// <summary>
    /// Outputs f [N, O] and, per layer, the factors of <see cref="FactorAlgebra"/>: the augmented input ã
    /// [N, a] (for a convolution its zero-padded input image [N, C, H, W]) and the output Jacobian of its
    /// pre-activation G ([N, O, b], for a convolution [N, O, b, H', W'], or null for the last layer), at θ*.
    /// With <paramref name="seeds"/>, a map from the outputs f [N, O] to seed rows S [N, K, O], every G
    /// is replaced by S·G ([N, K, ...]) and the last layer's by S: K backward passes instead of O (K = 1
    /// for a per-example gradient). With <paramref name="reduceConvolutions"/> a convolution reports the
    /// mean patch ā [N, a] and the position-summed ĝ = Σₜ Gₜ [N, O, b], like a linear layer: all that
    /// KFAC-reduce needs, without materialising the patches.
    /// </summary>
    public abstract (Tensor Outputs, List<(Tensor Input, Tensor? Gradient)> Layers) Factors(Tensor features, Func<Tensor, Tensor>? seeds = null, bool reduceConvolutions = false);

    /// <summary>Outputs [S, N, O] of the stack at S weight vectors θ [S, P] (features shared).</summary>
    public abstract Tensor Forward(Tensor features, Tensor thetas);

    /// <summary>The Jacobian of the outputs with respect to θ, [N, O, P], from <see cref="Factors"/>.</summary>
    public static Tensor Jacobian(List<(Tensor Input, Tensor? Gradient)> layers, int outputs) => FactorAlgebra.Jacobian(layers, outputs);

    /// <summary>
    /// Builds the stack for the chosen weights of a trained network; refuses unsupported networks before
    /// heavy work. Occam's Mlp and LeNet5 take their fast paths; any other module is traced on inputs of
    /// one example's shape <paramref name="inputShape"/>.
    /// </summary>
    /// <param name="network">The network (single member).</param>
    /// <param name="subset">Which weights.</param>
    /// <param name="inputShape">Shape of one input, without N.</param>
    /// <param name="lastLayer">Last-layer subset: the name of the final Linear submodule (null: found by tracing).</param>
    public static WeightStack From(nn.Module<Tensor, Tensor> network, WeightSubset subset, long[] inputShape, string? lastLayer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is Mlp { Members: not 1 } stacked) throw new NotSupportedException($"Laplace covers one network; this Mlp stacks {stacked.Members} members.");
        if (subset is WeightSubset.All or WeightSubset.Subnetwork)
            return network switch
            {
                Mlp mlp => LinearStack.FromMlp(mlp),
                LeNet5 lenet => ConvStack.FromLeNet(lenet),
                _ => ModuleStack.From(network, inputShape),
            };
        return network is Mlp m && lastLayer is null ? LinearStack.FromMlpLastLayer(m) : LinearStack.FromLastLinear(network, inputShape, lastLayer);
    }

    /// <summary>Appends a column of ones (the bias input) along the last dimension.</summary>
    protected static Tensor Augment(Tensor h) => cat(new[] { h, ones([.. h.shape[..^1], 1], h.dtype, h.device) }, -1);

    /// <inheritdoc />
    public abstract void Dispose();
}
