using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Products with a network's weight Jacobian given per layer as factors: the layer's input and the
/// output Jacobian of its pre-activation G (O output directions). Two forms exist:
/// <list type="bullet">
/// <item>a linear layer: the augmented input ã [N, a] and G [N, O, b] (null for the last layer, where it
/// is the identity); J[n, o, i·b + j] = ã[n, i]·G[n, o, j];</item>
/// <item>a stride-1 convolution: its zero-padded input image x [N, C, H + 2p, W + 2p] and G
/// [N, O, b, H', W'] over the output plane, the kernel size k = H + 2p − H' + 1 implied; with a = C·k·k + 1
/// rows in <c>unfold</c>'s patch order (tap (c, u, v) at row c·k·k + u·k + v, the bias last),
/// J[n, o, (c, u, v)·b + j] = Σ_{i,i'} x[n, c, i + u, i' + v]·G[n, o, j, i, i'] and the bias entry Σ G.</item>
/// </list>
/// The patches (im2col) are never formed here: a per-example kernel gradient is one grouped
/// convolution (Rochette et al. 2019), a Jacobian-vector product one convolution.
/// </summary>
internal static class FactorAlgebra
{
    /// <summary>Whether a layer's factors are those of a convolution (an input image [N, C, H, W]).</summary>
    public static bool IsSpatial(Tensor input) => input.dim() == 4;

    /// <summary>Number of output positions T = H'·W' of a layer (1 for a linear layer).</summary>
    public static long Positions(Tensor input, Tensor? gradient)
    {
        if (!IsSpatial(input)) return 1;
        var (height, width) = Plane(gradient);
        return height * width;
    }

    /// <summary>The layer's weight block shape [a, b] (augmented inputs × outputs).</summary>
    public static (long Inputs, long Outputs) Width(Tensor input, Tensor? gradient, int outputs)
    {
        if (!IsSpatial(input)) return (input.shape[^1], gradient?.shape[^1] ?? outputs);
        long k = Kernel(input, gradient);
        return (input.shape[1] * k * k + 1, gradient!.shape[2]);
    }

    /// <summary>One layer's dense weight Jacobian [N, O, a·b].</summary>
    public static Tensor Block(Tensor input, Tensor? gradient, int outputs)
    {
        using var scope = NewDisposeScope();
        long n = input.shape[0];
        if (IsSpatial(input))
        {
            var (kernels, bias) = ConvolutionGradients(input, gradient, outputs);
            long c = kernels.shape[0], b = kernels.shape[3], kk = kernels.shape[4];
            var weights = kernels.permute(1, 2, 0, 4, 3).reshape(n, outputs, c * kk, b);
            return cat(new[] { weights, bias.unsqueeze(2) }, 2).reshape(n, outputs, -1).MoveToOuterDisposeScope(); // [N, O, a·b]
        }
        var h = gradient ?? eye(outputs, dtype: input.dtype, device: input.device).unsqueeze(0).expand(n, -1, -1);
        long a = input.shape[1], bl = h.shape[2];
        return (input.view(n, 1, a, 1) * h.view(n, outputs, 1, bl)).reshape(n, outputs, a * bl).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A convolution's per-example weight Jacobian in the grouped convolution's own layout: kernel
    /// entries [C, N, O, b, k·k] (input channel first) and bias entries [N, O, b].
    /// </summary>
    public static (Tensor Kernel, Tensor Bias) ConvolutionGradients(Tensor input, Tensor? gradient, int outputs)
    {
        using var scope = NewDisposeScope();
        var g = gradient!;
        long n = input.shape[0], c = input.shape[1], b = g.shape[2], k = Kernel(input, g);
        var (height, width) = Plane(g);
        // Batch = the C channels, groups = the N images: group n correlates image n with its O·b planes of G.
        var kernels = nn.functional.conv2d(input.transpose(0, 1), g.reshape(n * outputs * b, 1, height, width), groups: n); // [C, N·O·b, k, k]
        return (kernels.view(c, n, outputs, b, k * k).MoveToOuterDisposeScope(), g.sum(new long[] { 3, 4 }).MoveToOuterDisposeScope());
    }

    /// <summary>The Jacobian of the outputs with respect to all layers' weights, [N, O, P].</summary>
    public static Tensor Jacobian(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs)
    {
        using var scope = NewDisposeScope();
        return cat(layers.Select(l => Block(l.Input, l.Gradient, outputs)).ToArray(), 2).MoveToOuterDisposeScope();
    }

    /// <summary>J v [N, O] for a weight vector v [P] (in the layers' dtype), without forming J.</summary>
    public static Tensor JacobianVectorProduct(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor v)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        long offset = 0;
        foreach (var (input, gradient) in layers)
        {
            var (a, b) = Width(input, gradient, outputs);
            var block = v.narrow(0, offset, a * b).view(a, b);
            offset += a * b;
            Tensor part;
            if (IsSpatial(input))
            {
                long k = Kernel(input, gradient);
                var kernel = block.narrow(0, 0, a - 1).t().reshape(b, input.shape[1], k, k);
                var projected = nn.functional.conv2d(input, kernel, block[-1]); // [N, b, H', W']
                part = (gradient! * projected.unsqueeze(1)).sum(new long[] { 2, 3, 4 });
            }
            else
            {
                var projected = input.matmul(block); // [N, b]
                part = gradient is null ? projected : (gradient * projected.unsqueeze(1)).sum(2);
            }
            total = total is null ? part : total + part;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Jᵀ u [P] summed over examples, for output-space vectors u [N, O], without forming J.</summary>
    public static Tensor TransposedProduct(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor u)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        foreach (var (input, gradient) in layers)
        {
            long n = input.shape[0];
            if (IsSpatial(input))
            {
                var g = gradient!;
                long c = input.shape[1], b = g.shape[2], k = Kernel(input, g);
                var gu = (g * u.view(n, outputs, 1, 1, 1)).sum(1); // [N, b, H', W']
                var kernel = nn.functional.conv2d(input.transpose(0, 1), gu.transpose(0, 1)); // Σₙ over the batch-as-channels: [C, b, k, k]
                var weights = kernel.permute(0, 2, 3, 1).reshape(c * k * k, b);
                parts.Add(cat(new[] { weights, gu.sum(new long[] { 0, 2, 3 }).unsqueeze(0) }, 0).reshape(-1));
            }
            else
            {
                var gu = gradient is null ? u : (gradient * u.unsqueeze(2)).sum(1); // [N, b]
                parts.Add(input.t().matmul(gu).reshape(-1));
            }
        }
        return cat(parts.ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>The im2col patches ã [N, T, a] of a convolution's factors (for KFAC-expand's input factor).</summary>
    public static Tensor Patches(Tensor input, Tensor? gradient)
    {
        using var scope = NewDisposeScope();
        var columns = nn.functional.unfold(input, Kernel(input, gradient)).transpose(1, 2); // [N, T, C·k·k]
        return cat(new[] { columns, ones([.. columns.shape[..^1], 1], columns.dtype, columns.device) }, -1).MoveToOuterDisposeScope();
    }

    private static long Kernel(Tensor input, Tensor? gradient) => input.shape[2] - Plane(gradient).Height + 1;

    private static (long Height, long Width) Plane(Tensor? gradient)
    {
        if (gradient is null || gradient.dim() != 5) throw new ArgumentException("A convolution's factors need its output Jacobian G [N, O, b, H', W'].", nameof(gradient));
        return (gradient.shape[3], gradient.shape[4]);
    }
}
