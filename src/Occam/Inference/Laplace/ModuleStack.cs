using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A <see cref="WeightStack"/> over all weights of any module built from Linear and stride-1 Conv2d
/// layers with parameter-free operations between them (activations, pooling, flatten, dropout, ...):
/// the layers' inputs are captured by forward hooks and the output Jacobians of their pre-activations G
/// by backward passes of autograd (one per output direction), so the factors are exact for any
/// architecture. Layer l's block is [inputs + 1, outputs] row-major, like the fast paths'.
/// </summary>
internal sealed class ModuleStack : WeightStack
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly LayerTrace _trace;
    private readonly WeightSpace _space;
    private readonly (int Layer, bool Bias)[] _map; // per parameter in WeightSpace order
    private readonly long _factorSize;               // floats of G per example and direction

    private ModuleStack(nn.Module<Tensor, Tensor> network, LayerTrace trace)
    {
        _network = network;
        _trace = trace;
        _space = WeightSpace.Of(network);
        var layers = trace.Layers;
        _map = _space.Parameters.Select(p =>
        {
            for (int l = 0; l < layers.Count; l++)
            {
                if (p.Handle == layers[l].Weight.Handle) return (l, false);
                if (p.Handle == layers[l].Bias.Handle) return (l, true);
            }
            throw new InvalidOperationException("unreachable: the trace covers every parameter");
        }).ToArray();
        _factorSize = trace.OutputShapes.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        LayerShapes = layers.Select(l => l.Shape).ToArray();
        ComputeType = _space.DType;
    }

    /// <summary>The stack of all weights of <paramref name="network"/>, traced on inputs of shape <paramref name="inputShape"/>.</summary>
    public static ModuleStack From(nn.Module<Tensor, Tensor> network, long[] inputShape) => new(network, LayerTrace.Of(network, inputShape));

    /// <inheritdoc />
    public override ScalarType ComputeType { get; }

    /// <inheritdoc />
    public override IReadOnlyList<(long Inputs, long Outputs)> LayerShapes { get; }

    /// <inheritdoc />
    public override int PreferredBatch(int rows) => (int)Math.Clamp((1L << 22) / Math.Max(1, rows * _factorSize), 16, 512);

    /// <inheritdoc />
    public override Tensor Theta()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return cat(_trace.Layers.Select(l => ConvStack.Block(l.Weight, l.Bias).reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Features(Tensor x) => x.to_type(ComputeType);

    /// <inheritdoc />
    public override (Tensor Outputs, List<(Tensor Input, Tensor? Gradient)> Layers) Factors(Tensor features, Func<Tensor, Tensor>? seeds = null, bool reduceConvolutions = false)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var layers = _trace.Layers;
        var inputs = new Tensor[layers.Count];
        var outputs = new Tensor[layers.Count];
        // The hook hands an alias downstream and keeps the layer's own output: containers such as
        // nn.Sequential dispose intermediate results once consumed, and the alias is what they see.
        var hooks = layers.Select((layer, i) => layer.Module.register_forward_hook((_, input, output) =>
        {
            inputs[i] = input.detach();
            outputs[i] = output;
            return output.alias();
        })).ToList();
        Tensor f;
        try
        {
            f = _network.call(features.detach());
        }
        finally
        {
            foreach (var h in hooks) h.remove();
        }
        if (f.dim() != 2) throw new NotSupportedException($"Laplace needs network outputs [N, O]; got [{string.Join(", ", f.shape)}].");
        var directions = Directions(f, seeds); // [N, D, O]
        long d = directions.shape[1];
        var gradients = layers.Select(_ => new Tensor[d]).ToArray();
        for (long k = 0; k < d; k++)
        {
            var g = autograd.grad([f], outputs, [directions.select(1, k)], retain_graph: k < d - 1);
            for (int l = 0; l < layers.Count; l++) gradients[l][k] = g[l].detach();
        }
        var result = new List<(Tensor, Tensor?)>(layers.Count);
        for (int l = 0; l < layers.Count; l++)
        {
            var g = stack(gradients[l], 1); // [N, D, out] or [N, D, C, H', W']
            result.Add(Factor(layers[l], inputs[l], g, reduceConvolutions));
        }
        return (f.detach().MoveToOuterDisposeScope(), result.Select(r => (r.Item1.MoveToOuterDisposeScope(), (Tensor?)r.Item2!.MoveToOuterDisposeScope())).ToList());
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor features, Tensor thetas)
    {
        using var scope = NewDisposeScope();
        long s = thetas.shape[0];
        var blocks = new Tensor[_trace.Layers.Count];
        long offset = 0;
        for (int l = 0; l < blocks.Length; l++)
        {
            var (a, b) = _trace.Layers[l].Shape;
            blocks[l] = thetas.narrow(1, offset, a * b).view(s, a, b);
            offset += a * b;
        }
        var parts = _map.Select(m => m.Bias
            ? blocks[m.Layer].select(1, blocks[m.Layer].shape[1] - 1)
            : blocks[m.Layer].narrow(1, 0, blocks[m.Layer].shape[1] - 1).transpose(1, 2).reshape(s, -1)).ToArray();
        var moduleThetas = cat(parts, 1).to_type(ComputeType);
        return _space.ForwardMany(moduleThetas, features).MoveToOuterDisposeScope();
    }

    /// <summary>The output directions of the backward passes, [N, D, O]: the identity (GGN, D = O) or the seed rows (a Fisher).</summary>
    private static Tensor Directions(Tensor f, Func<Tensor, Tensor>? seeds)
    {
        if (seeds is not null) return seeds(f.detach());
        long n = f.shape[0], o = f.shape[1];
        return eye(o, dtype: f.dtype, device: f.device).unsqueeze(0).expand(n, o, o);
    }

    private static (Tensor Input, Tensor Gradient) Factor(TracedLayer layer, Tensor input, Tensor g, bool reduce)
    {
        if (!layer.IsConvolution) return (Augment(input), g);
        long p = layer.Padding;
        var padded = p > 0 ? nn.functional.pad(input, [p, p, p, p]) : input;
        if (!reduce) return (padded, g);
        var meanPatch = nn.functional.unfold(padded, layer.Kernel).mean(new long[] { 2 }); // [N, C·k·k], taps in unfold's order
        return (Augment(meanPatch), g.sum(new long[] { 3, 4 }));
    }

    /// <inheritdoc />
    public override void Dispose() { }
}
