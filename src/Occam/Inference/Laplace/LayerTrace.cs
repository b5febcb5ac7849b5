using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The weight layers of any module, found by walking its submodules and checked by one probe forward
/// pass with hooks: every parameter must belong to a supported layer (<see cref="TracedLayer"/>), every
/// such layer must run exactly once per forward (called through <c>call</c>, as nn.Sequential does), and
/// the layers' order of execution is recorded. Layers are kept in the module's registration order.
/// </summary>
internal sealed class LayerTrace
{
    private LayerTrace(IReadOnlyList<TracedLayer> layers, IReadOnlyList<int> order, IReadOnlyList<long[]> outputShapes, bool lastIsOutput)
    {
        Layers = layers;
        CallOrder = order;
        OutputShapes = outputShapes;
        LastLayerIsOutput = lastIsOutput;
    }

    /// <summary>The weight layers in registration order.</summary>
    public IReadOnlyList<TracedLayer> Layers { get; }

    /// <summary>Indices into <see cref="Layers"/> in the order the probe pass ran them.</summary>
    public IReadOnlyList<int> CallOrder { get; }

    /// <summary>Each layer's output shape for one example (without N).</summary>
    public IReadOnlyList<long[]> OutputShapes { get; }

    /// <summary>Whether the last layer to run is a Linear whose output is the module's output.</summary>
    public bool LastLayerIsOutput { get; }

    /// <summary>Traces <paramref name="network"/> on a probe input of one example's shape <paramref name="inputShape"/>.</summary>
    /// <exception cref="NotSupportedException">An unsupported layer, a stray parameter, or a layer not run exactly once; the message names it.</exception>
    public static LayerTrace Of(nn.Module<Tensor, Tensor> network, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputShape);
        var layers = new List<TracedLayer>();
        foreach (var (name, module) in network.named_modules())
        {
            if (!module.named_parameters(recurse: false).Any()) continue;
            layers.Add(TracedLayer.From(string.IsNullOrEmpty(name) ? network.GetType().Name : name, module));
        }
        var covered = layers.SelectMany(l => new[] { l.Weight.Handle, l.Bias.Handle }).ToHashSet();
        foreach (var (name, p) in network.named_parameters())
            if (!covered.Contains(p.Handle)) throw new NotSupportedException($"Parameter '{name}' does not belong to a Linear or Conv2d layer, which all-weights Laplace needs.");
        if (layers.Count == 0) throw new NotSupportedException("The network has no Linear or Conv2d layers.");

        var calls = new List<int>();
        var outputs = new long[layers.Count][];
        Tensor? lastOutput = null;
        var hooks = layers.Select((layer, i) => layer.Module.register_forward_hook((_, input, output) =>
        {
            calls.Add(i);
            outputs[i] = output.shape[1..];
            lastOutput = output;
            if (!layer.IsConvolution && input.dim() != 2)
                throw new NotSupportedException($"Laplace needs the inputs of Linear layer '{layer.Name}' to be [N, features]; got [{string.Join(", ", input.shape)}].");
            return null!; // keep the layer's output
        })).ToList();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            bool training = network.training;
            network.eval();
            var weight = layers[0].Weight;
            var output = network.call(zeros([2, .. inputShape], weight.dtype, weight.device));
            if (training) network.train();
            for (int i = 0; i < layers.Count; i++)
            {
                int count = calls.Count(c => c == i);
                if (count != 1)
                    throw new NotSupportedException(count == 0
                        ? $"Layer '{layers[i].Name}' was not seen during a forward pass: call submodules with .call(x) (as nn.Sequential does), not .forward(x), so Occam can trace them."
                        : $"Layer '{layers[i].Name}' runs {count} times per forward pass; Laplace needs each weight layer to run once.");
            }
            bool lastIsOutput = !layers[calls[^1]].IsConvolution && lastOutput is not null && output.shape.SequenceEqual(lastOutput.shape) && output.allclose(lastOutput, 0, 0);
            return new LayerTrace(layers, calls, outputs, lastIsOutput);
        }
        finally
        {
            foreach (var h in hooks) h.remove();
        }
    }
}
