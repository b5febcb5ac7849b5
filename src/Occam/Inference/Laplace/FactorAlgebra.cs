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
/// Patches (im2col) are formed only where a product needs them, 64 images at a time by a strided copy:
/// the per-example kernel gradients and KFAC-expand's input factor. A Jacobian-vector product is one
/// convolution, a transposed product one convolution over the batch.
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
            var (kernels, bias) = ConvolutionGradients(input, gradient, outputs); // [N, O, b, C·k·k], [N, O, b]
            return cat(new[] { kernels.transpose(2, 3), bias.unsqueeze(2) }, 2).reshape(n, outputs, -1).MoveToOuterDisposeScope(); // [N, O, a·b]
        }
        var h = gradient ?? eye(outputs, dtype: input.dtype, device: input.device).unsqueeze(0).expand(n, -1, -1);
        long a = input.shape[1], bl = h.shape[2];
        return (input.view(n, 1, a, 1) * h.view(n, outputs, 1, bl)).reshape(n, outputs, a * bl).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A convolution's per-example weight Jacobian: kernel entries [N, O, b, C·k·k] (taps in unfold's
    /// order) and bias entries [N, O, b]. Per slice of <see cref="Slice"/> images, one strided copy cuts
    /// the images into their patches and one batched product contracts them with G over the positions.
    /// </summary>
    public static (Tensor Kernel, Tensor Bias) ConvolutionGradients(Tensor input, Tensor? gradient, int outputs)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        ForEachKernelSlice(input, gradient, outputs, (_, kernels) => parts.Add(kernels.MoveToOuterDisposeScope()));
        return (cat(parts, 0).MoveToOuterDisposeScope(), gradient!.sum(new long[] { 3, 4 }).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The diagonal of Σₙ Jₙᵀ Λₙ Jₙ over a convolution's weights: kernel part [b, C·k·k] and bias part [b],
    /// from the same slices as <see cref="ConvolutionGradients"/>, each squared and summed while it is in
    /// cache, so the [N, O, b, C·k·k] Jacobian is never assembled.
    /// </summary>
    /// <param name="input">The zero-padded input images [N, C, H + 2p, W + 2p].</param>
    /// <param name="gradient">G [N, O, b, H', W'].</param>
    /// <param name="outputs">O, the output directions.</param>
    /// <param name="lambda">Output Hessians Λ [N, O, O]; null: Λ = I.</param>
    public static (Tensor Kernel, Tensor Bias) ConvolutionDiagonal(Tensor input, Tensor? gradient, int outputs, Tensor? lambda)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        ForEachKernelSlice(input, gradient, outputs, (start, kernels) =>
        {
            var part = (kernels * Weighted(kernels, lambda?.narrow(0, start, kernels.shape[0]))).sum(new long[] { 0, 1 });
            if (sum is null) sum = part.MoveToOuterDisposeScope();
            else sum.add_(part);
        });
        var bias = gradient!.sum(new long[] { 3, 4 }); // [N, O, b]
        return (sum!.MoveToOuterDisposeScope(), (bias * Weighted(bias, lambda)).sum(new long[] { 0, 1 }).MoveToOuterDisposeScope());
    }

    /// <summary>ΛJ over the O output directions of per-example rows J [m, O, ...]; J itself when Λ = I.</summary>
    public static Tensor Weighted(Tensor j, Tensor? lambda) => lambda is null ? j : lambda.bmm(j.reshape(j.shape[0], j.shape[1], -1)).view(j.shape);

    /// <summary>
    /// Calls <paramref name="visit"/>(first image, kernel entries [m, O, b, C·k·k]) per slice of
    /// <see cref="Slice"/> images: one strided copy cuts the slice into its patches and one batched
    /// product contracts them with G over the positions; each slice's tensors are freed before the next.
    /// </summary>
    private static void ForEachKernelSlice(Tensor input, Tensor? gradient, int outputs, Action<long, Tensor> visit)
    {
        var g = gradient!;
        long n = input.shape[0], b = g.shape[2];
        var (height, width) = Plane(g);
        for (long start = 0; start < n; start += Slice)
        {
            using var inner = NewDisposeScope(); // one buffer per slice, reused while it is in cache
            long m = Math.Min(Slice, n - start);
            var columns = PatchView(input.narrow(0, start, m), height, width).permute(0, 1, 4, 5, 2, 3).reshape(m, -1, height * width); // [m, C·k·k, T]
            visit(start, g.narrow(0, start, m).reshape(m, outputs * b, height * width).bmm(columns.transpose(1, 2)).view(m, outputs, b, -1));
        }
    }

    /// <summary>
    /// Σ_{n,t} ã ãᵀ [a, a] over a convolution's augmented patches ã = (patch, 1) (KFAC-expand's input
    /// factor), from the same strided copies per slice of images as <see cref="ConvolutionGradients"/>.
    /// </summary>
    public static Tensor PatchGram(Tensor input, Tensor? gradient)
    {
        using var scope = NewDisposeScope();
        var (height, width) = Plane(gradient);
        long n = input.shape[0], k = Kernel(input, gradient), a = input.shape[1] * k * k; // a: the taps, without the bias
        var gram = zeros(new long[] { a + 1, a + 1 }, input.dtype, input.device);
        for (long start = 0; start < n; start += Slice)
        {
            using var inner = NewDisposeScope();
            long m = Math.Min(Slice, n - start);
            var columns = PatchView(input.narrow(0, start, m), height, width).permute(1, 4, 5, 0, 2, 3).reshape(a, -1); // [C·k·k, m·T]
            var sums = columns.sum(1);
            var (taps, bias) = (gram.narrow(0, 0, a), gram.select(0, a));
            taps.narrow(1, 0, a).add_(columns.matmul(columns.t()));
            taps.select(1, a).add_(sums);
            bias.narrow(0, 0, a).add_(sums);
            bias.select(0, a).add_(m * height * width);
        }
        return gram.MoveToOuterDisposeScope();
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

    /// <summary>Images [m, C, H + 2p, W + 2p] as the view [m, C, H', W', k, k] of their patches (no copy).</summary>
    private static Tensor PatchView(Tensor images, long height, long width)
    {
        long k = images.shape[2] - height + 1;
        return images.unfold(2, k, 1).unfold(3, k, 1);
    }

    /// <summary>Images per slice of patches: a slice of LeNet-5's first convolution is 5 MB and stays in cache (the whole batch at once ran slower).</summary>
    private const long Slice = 64;

    private static long Kernel(Tensor input, Tensor? gradient) => input.shape[2] - Plane(gradient).Height + 1;

    private static (long Height, long Width) Plane(Tensor? gradient)
    {
        if (gradient is null || gradient.dim() != 5) throw new ArgumentException("A convolution's factors need its output Jacobian G [N, O, b, H', W'].", nameof(gradient));
        return (gradient.shape[3], gradient.shape[4]);
    }
}
