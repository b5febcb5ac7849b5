using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// One weight layer of a user module as Laplace sees it: a Linear or a stride-1 Conv2d with a bias,
/// its name, its weight block shape [a, b] (augmented inputs × outputs) and, for a convolution, its
/// zero padding and kernel size.
/// </summary>
internal sealed class TracedLayer
{
    private TracedLayer(string name, nn.Module<Tensor, Tensor> module, Parameter weight, Parameter bias, long padding, long kernel)
    {
        Name = name;
        Module = module;
        Weight = weight;
        Bias = bias;
        Padding = padding;
        Kernel = kernel;
        long inputs = weight.shape.Skip(1).Aggregate(1L, (x, y) => x * y);
        Shape = (inputs + 1, weight.shape[0]);
    }

    /// <summary>The submodule's name in the network (e.g. "0", "fc1").</summary>
    public string Name { get; }

    /// <summary>The layer.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Its weight: [out, in] or [C_out, C_in, k, k].</summary>
    public Parameter Weight { get; }

    /// <summary>Its bias [out].</summary>
    public Parameter Bias { get; }

    /// <summary>Whether it is a convolution.</summary>
    public bool IsConvolution => Kernel > 0;

    /// <summary>Zero padding on each side (convolutions).</summary>
    public long Padding { get; }

    /// <summary>Kernel size k (convolutions), 0 for a linear layer.</summary>
    public long Kernel { get; }

    /// <summary>The weight block shape [a, b] = [inputs + 1, outputs].</summary>
    public (long Inputs, long Outputs) Shape { get; }

    /// <summary>The layer if it is one Laplace supports; otherwise throws naming it and what is expected.</summary>
    /// <exception cref="NotSupportedException">Another parameterised layer, a bias-less layer, or a convolution that is not stride-1 zero-padded.</exception>
    public static TracedLayer From(string name, nn.Module module)
    {
        switch (module)
        {
            case Linear linear when linear.bias is not null:
                return new TracedLayer(name, linear, linear.weight!, linear.bias, 0, 0);
            case Conv2d conv when conv.bias is not null:
                if (conv.stride.Any(s => s != 1) || conv.dilation.Any(d => d != 1) || conv.groups != 1 || conv.transposed
                    || conv.padding_mode != PaddingModes.Zeros || conv.kernel_size[0] != conv.kernel_size[1])
                    throw new NotSupportedException($"All-weights Laplace supports square Conv2d layers with stride 1, dilation 1, one group and zero padding; '{name}' is not one.");
                return new TracedLayer(name, conv, conv.weight!, conv.bias, ZeroPadding(name, conv), conv.kernel_size[0]);
            case Linear or Conv2d:
                throw new NotSupportedException($"All-weights Laplace needs layers with a bias; '{name}' ({module.GetType().Name}) has none.");
            default:
                throw new NotSupportedException($"All-weights Laplace supports Linear and Conv2d weight layers (with any parameter-free activations, pooling, flatten and dropout between them); '{name}' is a {module.GetType().Name}.");
        }
    }

    private static long ZeroPadding(string name, Conv2d conv)
    {
        if (conv.padding_type == TorchSharp.Padding.Valid) return 0;
        if (conv.padding_type == TorchSharp.Padding.Same) return (conv.kernel_size[0] - 1) / 2;
        var p = conv.padding;
        if (p is null || p.Length == 0) return 0;
        if (p.Any(v => v != p[0])) throw new NotSupportedException($"All-weights Laplace needs the same padding on every side; '{name}' has [{string.Join(", ", p)}].");
        return p[0];
    }
}
