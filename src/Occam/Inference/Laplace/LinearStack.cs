using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A <see cref="WeightStack"/> of fixed features φ(x) followed by L linear layers with an activation
/// between them. Its weight vector θ concatenates, per layer, the augmented weight [W_l; b_l] of shape
/// [in + 1, out] row-major — which is exactly the layout of Occam's <see cref="Mlp"/>. Jacobians come from
/// one forward pass and a backward pass of the output Jacobian through the layers, batched over examples
/// (no per-example autograd).
/// </summary>
internal sealed class LinearStack : WeightStack
{
    private readonly Func<Tensor, Tensor> _features;
    private readonly Tensor[] _layers;  // [in + 1, out] float64, detached: θ*
    private readonly Tensor[] _compute; // the same in the network's dtype, for the heavy passes
    private readonly Activation _activation;

    private LinearStack(Func<Tensor, Tensor> features, Tensor[] layers, Activation activation, ScalarType computeType)
    {
        _features = features;
        _layers = layers;
        _compute = layers.Select(l => l.to_type(computeType).DetachFromDisposeScope()).ToArray();
        ComputeType = computeType;
        _activation = activation;
        LayerShapes = layers.Select(l => (l.shape[0], l.shape[1])).ToArray();
    }

    /// <inheritdoc />
    public override ScalarType ComputeType { get; }

    /// <inheritdoc />
    public override IReadOnlyList<(long Inputs, long Outputs)> LayerShapes { get; }

    /// <summary>All layers of a single-member Mlp.</summary>
    public static LinearStack FromMlp(Mlp mlp)
    {
        var dtype = mlp.parameters().First().dtype; // inputs are cast to the network's dtype
        using var noGrad = no_grad();
        var w = mlp.Weights.detach().select(0, 0).to_type(ScalarType.Float64);
        var layers = new Tensor[mlp.Widths.Count - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            long size = (long)(mlp.Widths[l] + 1) * mlp.Widths[l + 1];
            layers[l] = w.narrow(0, mlp.LayerOffset(l), size).view(mlp.Widths[l] + 1, mlp.Widths[l + 1]).clone().DetachFromDisposeScope();
        }
        w.Dispose();
        return new LinearStack(x => mlp.Flatten(x).to_type(dtype), layers, mlp.Activation, dtype);
    }

    /// <summary>The last layer of an Occam Mlp, on its fixed features.</summary>
    public static LinearStack FromMlpLastLayer(Mlp mlp)
    {
        var dtype = mlp.parameters().First().dtype;
        var (weight, bias) = mlp.LastLayer(); // [F, O], [O]
        using (weight)
        using (bias)
            return FromBlock(x => mlp.Features(x.to_type(dtype)), weight, bias, dtype);
    }

    /// <summary>
    /// The final Linear layer of any module (found by tracing, or the submodule called
    /// <paramref name="name"/>), on the features that reach it, captured by a forward hook. The
    /// layer's output must be the module's output.
    /// </summary>
    /// <exception cref="NotSupportedException">No such layer, or operations after it; the message names what was found.</exception>
    public static LinearStack FromLastLinear(nn.Module<Tensor, Tensor> network, long[] inputShape, string? name = null)
    {
        TorchSharp.Modules.Linear linear;
        if (name is null)
        {
            var trace = LayerTrace.Of(network, inputShape);
            var last = trace.Layers[trace.CallOrder[^1]];
            if (!trace.LastLayerIsOutput)
                throw new NotSupportedException($"Last-layer Laplace needs the network's output to be the output of its final Linear layer; the last weight layer to run, '{last.Name}', is followed by other operations or is not Linear. Name the layer, or use the all-weights subset.");
            linear = (TorchSharp.Modules.Linear)last.Module;
        }
        else
        {
            linear = network.named_modules().FirstOrDefault(m => m.name == name).module as TorchSharp.Modules.Linear
                ?? throw new NotSupportedException($"The network has no Linear submodule called '{name}'.");
        }
        if (linear.bias is null) throw new NotSupportedException("Last-layer Laplace needs the final Linear layer to have a bias.");
        var dtype = linear.weight!.dtype;
        using var weight = linear.weight.detach().t();
        return FromBlock(x => InputOf(network, linear, x.to_type(dtype)), weight, linear.bias.detach(), dtype);
    }

    private static LinearStack FromBlock(Func<Tensor, Tensor> features, Tensor weight, Tensor bias, ScalarType dtype)
    {
        var layer = cat(new[] { weight, bias.unsqueeze(0) }, 0).to_type(ScalarType.Float64).DetachFromDisposeScope();
        return new LinearStack(features, [layer], Activation.ReLU, dtype);
    }

    /// <summary>The input that reaches <paramref name="layer"/> when <paramref name="network"/> runs on <paramref name="x"/>.</summary>
    private static Tensor InputOf(nn.Module<Tensor, Tensor> network, TorchSharp.Modules.Linear layer, Tensor x)
    {
        Tensor? captured = null;
        var hook = layer.register_forward_hook((_, input, _) =>
        {
            captured = input.detach().clone();
            return null!; // keep the layer's output
        });
        try
        {
            using var scope = NewDisposeScope();
            network.call(x);
            captured?.MoveToOuterDisposeScope();
        }
        finally
        {
            hook.remove();
        }
        return captured ?? throw new InvalidOperationException("The last layer did not run.");
    }

    /// <inheritdoc />
    public override Tensor Theta()
    {
        using var scope = NewDisposeScope();
        return cat(_layers.Select(l => l.reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>Features φ(x) [N, F] in the compute dtype (no gradient).</summary>
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _features(x).to_type(ComputeType).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Outputs f [N, O] and, per layer, the augmented layer input ã [N, in + 1] and the Jacobian of
    /// the outputs with respect to the layer's pre-activation G [N, O, out] (null for the last layer,
    /// where it is the identity). Layer l's weight Jacobian is ã ⊗ G: J[n, o, i·out + j] = ã[n, i]·G[n, o, j].
    /// </summary>
    public override (Tensor Outputs, List<(Tensor Input, Tensor? Gradient)> Layers) Factors(Tensor features, Func<Tensor, Tensor>? seeds = null, bool reduceConvolutions = false)
    {
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor>();
        var preActivations = new List<Tensor>();
        var h = features;
        for (int l = 0; l < _layers.Length; l++)
        {
            var augmented = Augment(h);
            inputs.Add(augmented);
            var z = augmented.matmul(_compute[l]);
            preActivations.Add(z);
            h = l < _layers.Length - 1 ? _activation.Apply(z) : z;
        }
        var result = new List<(Tensor, Tensor?)>(new (Tensor, Tensor?)[_layers.Length]);
        Tensor? g = seeds?.Invoke(h); // [N, O, out_l] (or [N, K, out_l] when seeded)
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            result[l] = (inputs[l].MoveToOuterDisposeScope(), g?.MoveToOuterDisposeScope());
            if (l == 0) break;
            var w = _compute[l].narrow(0, 0, _compute[l].shape[0] - 1); // [in, out] without the bias row
            var back = g is null ? w.t().unsqueeze(0).expand(features.shape[0], -1, -1) : g.matmul(w.t());
            g = back * Derivative(preActivations[l - 1]).unsqueeze(1);
        }
        return (h.MoveToOuterDisposeScope(), result);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor features, Tensor thetas)
    {
        using var scope = NewDisposeScope();
        long s = thetas.shape[0], offset = 0;
        thetas = thetas.to_type(features.dtype);
        var h = features.unsqueeze(0).expand(s, -1, -1);
        for (int l = 0; l < _layers.Length; l++)
        {
            var (a, b) = (_layers[l].shape[0], _layers[l].shape[1]);
            var w = thetas.narrow(1, offset, a * b).view(s, a, b);
            offset += a * b;
            h = Augment(h).bmm(w);
            if (l < _layers.Length - 1) h = _activation.Apply(h);
        }
        return h.MoveToOuterDisposeScope();
    }

    private Tensor Derivative(Tensor z) => _activation switch
    {
        Activation.ReLU => (z > 0).to_type(z.dtype),
        Activation.Tanh => 1 - z.tanh().square(),
        Activation.Softplus => z.sigmoid(),
        Activation.Gelu => 0.5 * (1 + special.erf(z / Math.Sqrt(2))) + z * (-0.5 * z.square()).exp() / Math.Sqrt(2 * Math.PI),
        _ => throw new NotSupportedException($"No derivative for {_activation}."),
    };

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var l in _layers) l.Dispose();
        foreach (var l in _compute) l.Dispose();
    }
}
