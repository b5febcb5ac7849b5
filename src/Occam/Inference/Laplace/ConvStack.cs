using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A <see cref="WeightStack"/> over all weights of a small CNN: convolutional stages (conv → ReLU →
/// optional max-pool, see <see cref="ConvGeometry"/>), a flatten, then linear layers with ReLU between
/// them — Occam's <see cref="LeNet5"/> is the case conv(5, pad 2, pool 2), conv(5, pool 2), fc, fc, fc.
/// A convolution's block is [C_in·k·k + 1, C_out] row-major: row c·k·k + u·k + v holds the kernel tap
/// (c, u, v) in <c>unfold</c>'s patch order, the last row the bias; a linear layer's block is [in + 1, out].
/// A convolution's factors are its zero-padded input image and G [N, O, C_out, H', W'] over its output
/// plane (see <see cref="FactorAlgebra"/>; the factors carry no patches), from one forward pass of convolutions
/// and one batched backward pass of the O output directions (ReLU masks, max-pool backward through the
/// saved indices, convolution backward as a transposed convolution).
/// </summary>
internal sealed class ConvStack : WeightStack
{
    private readonly long[] _image;            // [C, H, W] of one input
    private readonly ConvGeometry[] _geometry; // one per convolution
    private readonly ConvShape[] _shapes;      // derived sizes per convolution
    private readonly Tensor[] _layers;         // blocks [a, b], float64, detached: θ*
    private readonly Tensor[] _compute;        // the same in the compute dtype

    /// <summary>Creates the stack from weight blocks (convolutions first, then linear layers), checking every shape.</summary>
    /// <param name="image">Shape [C, H, W] of one input image.</param>
    /// <param name="geometry">One entry per convolution.</param>
    /// <param name="blocks">Float64 blocks [a, b]; copied.</param>
    /// <param name="computeType">dtype of the passes.</param>
    public ConvStack(long[] image, IReadOnlyList<ConvGeometry> geometry, IReadOnlyList<Tensor> blocks, ScalarType computeType)
    {
        if (image.Length != 3 || image.Any(d => d < 1)) throw new ArgumentException($"The image shape must be [C, H, W]; got [{string.Join(", ", image)}].", nameof(image));
        if (geometry.Count < 1 || blocks.Count <= geometry.Count)
            throw new ArgumentException($"Need at least one convolution and one linear layer; got {geometry.Count} convolutions and {blocks.Count} blocks.", nameof(blocks));
        _image = image.ToArray();
        _geometry = geometry.ToArray();
        _shapes = new ConvShape[geometry.Count];
        long c = image[0], h = image[1], w = image[2];
        for (int l = 0; l < geometry.Count; l++)
        {
            var (k, p, pool) = (geometry[l].Kernel, geometry[l].Padding, geometry[l].Pool);
            long hc = h + 2 * p - k + 1, wc = w + 2 * p - k + 1;
            if (k < 1 || p < 0 || pool < 1 || hc < pool || wc < pool)
                throw new ArgumentException($"Convolution {l} (kernel {k}, padding {p}, pool {pool}) does not fit its {h}×{w} input.", nameof(geometry));
            Expect(blocks[l], c * k * k + 1, $"convolution {l}");
            _shapes[l] = new ConvShape(c, h, w, hc, wc, hc / pool, wc / pool);
            (c, h, w) = (blocks[l].shape[1], hc / pool, wc / pool);
        }
        long features = c * h * w;
        for (int l = geometry.Count; l < blocks.Count; l++)
        {
            Expect(blocks[l], features + 1, $"linear layer {l - geometry.Count}");
            features = blocks[l].shape[1];
        }
        _layers = blocks.Select(b => b.detach().to_type(ScalarType.Float64).clone().DetachFromDisposeScope()).ToArray();
        _compute = _layers.Select(b => b.to_type(computeType).DetachFromDisposeScope()).ToArray();
        ComputeType = computeType;
        LayerShapes = _layers.Select(b => (b.shape[0], b.shape[1])).ToArray();
    }

    /// <summary>All weights of a LeNet5, in its parameter order (conv1, conv2, fc1, fc2, fc3).</summary>
    public static ConvStack FromLeNet(LeNet5 lenet)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (convs, linears) = lenet.Layers;
        var blocks = convs.Select(c => Block(c.weight!, c.bias!)).Concat(linears.Select(f => Block(f.weight!, f.bias!))).ToList();
        var image = new[] { convs[0].weight!.shape[1], 28L, 28L };
        return new ConvStack(image, [new ConvGeometry(5, 2, 2), new ConvGeometry(5, 0, 2)], blocks, convs[0].weight!.dtype);
    }

    /// <summary>A layer's block [a, b] (float64) from PyTorch's weight [out, in] or [C_out, C_in, k, k] and bias [out].</summary>
    public static Tensor Block(Tensor weight, Tensor bias) =>
        cat(new[] { weight.detach().reshape(weight.shape[0], -1).t(), bias.detach().unsqueeze(0) }, 0).to_type(ScalarType.Float64);

    /// <summary>Writes θ [P] into a LeNet5's parameters (the inverse of <see cref="FromLeNet"/>'s layout).</summary>
    public void WriteTo(LeNet5 lenet, Tensor theta)
    {
        if (theta.dim() != 1 || theta.shape[0] != ParameterCount) throw new ArgumentException($"θ must be [{ParameterCount}]; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (convs, linears) = lenet.Layers;
        var weights = convs.Select(c => (c.weight!, c.bias!)).Concat(linears.Select(f => (f.weight!, f.bias!))).ToArray();
        if (weights.Length != _layers.Length) throw new ArgumentException("The network does not match the stack.", nameof(lenet));
        long offset = 0;
        for (int l = 0; l < weights.Length; l++)
        {
            var (weight, bias) = Parameters(theta.narrow(0, offset, _layers[l].numel()).view(_layers[l].shape), weight: weights[l].Item1.shape);
            offset += _layers[l].numel();
            weights[l].Item1.copy_(weight);
            weights[l].Item2.copy_(bias);
        }
    }

    /// <inheritdoc />
    public override ScalarType ComputeType { get; }

    /// <inheritdoc />
    public override IReadOnlyList<(long Inputs, long Outputs)> LayerShapes { get; }

    /// <inheritdoc />
    /// <remarks>
    /// About 640 example-rows per pass, at most 256 images (64 for the GGN of 10 classes, 256 for a
    /// Fisher), measured on LeNet-5 with 2 cores: larger passes of the GGN's O-fold factors fall out of
    /// cache, and in interleaved A/B runs 512-image Fisher passes took 2.5–4× as long as 256-image ones,
    /// with a third of the profile in kernel page-fault handling.
    /// </remarks>
    public override int PreferredBatch(int rows) => Math.Clamp(640 / Math.Max(1, rows), 16, 256);

    /// <inheritdoc />
    public override Tensor Theta()
    {
        using var scope = NewDisposeScope();
        return cat(_layers.Select(l => l.reshape(-1)).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>The images [N, C, H, W] themselves, in the compute dtype.</summary>
    public override Tensor Features(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4 || !x.shape[1..].SequenceEqual(_image))
            throw new ArgumentException($"Expected images [N, {string.Join(", ", _image)}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        using var noGrad = no_grad();
        return x.to_type(ComputeType, copy: true);
    }

    /// <inheritdoc />
    public override (Tensor Outputs, List<(Tensor Input, Tensor? Gradient)> Layers) Factors(Tensor features, Func<Tensor, Tensor>? seeds = null, bool reduceConvolutions = false)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = features.shape[0];
        int convs = _geometry.Length, count = _layers.Length;
        var inputs = new Tensor[count];
        var pre = new Tensor[count];
        var masks = new Tensor[convs]; // ReLU masks of the convolutions on their pooled planes, [N, C, T / pool²]
        var indices = new Tensor?[convs];
        var h = features;
        for (int l = 0; l < convs; l++)
        {
            var (g, s) = (_geometry[l], _shapes[l]);
            var padded = g.Padding > 0 ? nn.functional.pad(h, [g.Padding, g.Padding, g.Padding, g.Padding]) : h;
            inputs[l] = reduceConvolutions ? MeanPatch(padded, g, s) : padded; // [N, C·k·k + 1], or the padded image [N, C, H + 2p, W + 2p]
            var (weight, bias) = Parameters(_compute[l], [_layers[l].shape[1], s.Channels, g.Kernel, g.Kernel]);
            var z = nn.functional.conv2d(padded, weight, bias); // [N, C_out, H', W']
            // Pooling before the ReLU gives the same values and the same argmax wherever the ReLU lets a
            // gradient through (it is monotone), so its mask is taken on the 4× smaller pooled plane.
            if (g.Pool > 1) (z, indices[l]) = nn.functional.max_pool2d_with_indices(z, [g.Pool, g.Pool]);
            masks[l] = (z > 0).view(n, z.shape[1], -1);
            h = nn.functional.relu(z);
        }
        h = h.flatten(1);
        for (int l = convs; l < count; l++)
        {
            inputs[l] = Augment(h);
            pre[l] = inputs[l].matmul(_compute[l]);
            h = l < count - 1 ? nn.functional.relu(pre[l]) : pre[l];
        }
        var result = new (Tensor, Tensor?)[count];
        Tensor? gradient = seeds?.Invoke(h); // of the current layer's pre-activation: null = identity, or seed rows [N, K, O]
        long o = gradient?.shape[1] ?? Outputs;
        for (int l = count - 1; l >= 0; l--)
        {
            if (l >= convs)
            {
                result[l] = (inputs[l], gradient);
                var w = _compute[l].narrow(0, 0, _compute[l].shape[0] - 1); // [in, out] without the bias row
                var back = gradient is null ? w.t().unsqueeze(0).expand(n, -1, -1) : gradient.matmul(w.t()); // [N, O, in]
                gradient = l > convs ? back * (pre[l - 1] > 0).to_type(back.dtype).unsqueeze(1) : back; // at convs: ∂f/∂(flattened conv output)
                continue;
            }
            var (geo, shape) = (_geometry[l], _shapes[l]);
            long c = _layers[l].shape[1], t = shape.ConvHeight * shape.ConvWidth, pooled = shape.PoolHeight * shape.PoolWidth;
            var up = gradient!.reshape(n, o, c, pooled) * masks[l].to_type(gradient.dtype).unsqueeze(1); // through the ReLU
            var gz = indices[l] is { } index // through the max-pool: [N, O, C, T]
                ? zeros(new long[] { n, o, c, t }, up.dtype).scatter_(3, index.reshape(n, 1, c, pooled).expand(n, o, c, pooled), up)
                : up;
            result[l] = (inputs[l], reduceConvolutions ? gz.sum(3) : gz.view(n, o, c, shape.ConvHeight, shape.ConvWidth)); // ĝ [N, O, C], or G [N, O, C, H', W']
            if (l == 0) break;
            var kernel = _compute[l].narrow(0, 0, _compute[l].shape[0] - 1).t().reshape(c, shape.Channels, geo.Kernel, geo.Kernel);
            gradient = nn.functional.conv_transpose2d(gz.reshape(n * o, c, shape.ConvHeight, shape.ConvWidth), kernel, padding: [geo.Padding, geo.Padding])
                .reshape(n, o, -1); // ∂f/∂(this convolution's input), [N, O, C_in·H·W]
        }
        foreach (var (input, g) in result)
        {
            input.MoveToOuterDisposeScope();
            g?.MoveToOuterDisposeScope();
        }
        return (h.MoveToOuterDisposeScope(), result.ToList());
    }

    /// <summary>
    /// The mean over output positions of a convolution's augmented patches (of its zero-padded input), [N, C·k·k + 1] in unfold's
    /// order: tap (c, u, v) averages the zero-padded input over the H_out × W_out window that position
    /// (u, v) of the kernel sweeps. The k² window sums come from one summed-area table (two cumulative
    /// sums and four shifted slices) instead of a pooling pass per window; the bias entry is 1.
    /// </summary>
    private static Tensor MeanPatch(Tensor padded, ConvGeometry g, ConvShape s)
    {
        var table = nn.functional.pad(padded.cumsum(2).cumsum(3), [1, 0, 1, 0]); // [N, C, Hp + 1, Wp + 1]: sums over rows < i, columns < j
        long k = g.Kernel, height = s.ConvHeight, width = s.ConvWidth;
        Tensor Corner(long row, long column) => table.narrow(2, row, k).narrow(3, column, k);
        var sums = Corner(height, width) - Corner(0, width) - Corner(height, 0) + Corner(0, 0); // [N, C, k, k]
        return Augment(sums.div_(height * width).flatten(1));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor features, Tensor thetas)
    {
        if (thetas.dim() != 2 || thetas.shape[1] != ParameterCount) throw new ArgumentException($"θ must be [S, {ParameterCount}]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = new Tensor[thetas.shape[0]];
        var all = thetas.to_type(features.dtype);
        for (int s = 0; s < outputs.Length; s++)
        {
            using var inner = NewDisposeScope();
            var theta = all[s];
            var h = features;
            long offset = 0;
            for (int l = 0; l < _layers.Length; l++)
            {
                var block = theta.narrow(0, offset, _layers[l].numel()).view(_layers[l].shape);
                offset += _layers[l].numel();
                if (l < _geometry.Length)
                {
                    var g = _geometry[l];
                    var (weight, bias) = Parameters(block, [_layers[l].shape[1], _shapes[l].Channels, g.Kernel, g.Kernel]);
                    h = nn.functional.relu(nn.functional.conv2d(h, weight, bias, padding: [g.Padding, g.Padding]));
                    if (g.Pool > 1) h = nn.functional.max_pool2d(h, g.Pool);
                    if (l == _geometry.Length - 1) h = h.flatten(1);
                }
                else
                {
                    h = Augment(h).matmul(block);
                    if (l < _layers.Length - 1) h = nn.functional.relu(h);
                }
            }
            outputs[s] = h.MoveToOuterDisposeScope();
        }
        return stack(outputs).MoveToOuterDisposeScope();
    }

    /// <summary>PyTorch's weight (in <paramref name="weight"/>'s shape) and bias from a block [a, b].</summary>
    private static (Tensor Weight, Tensor Bias) Parameters(Tensor block, long[] weight) =>
        (block.narrow(0, 0, block.shape[0] - 1).t().reshape(weight), block[-1]);

    private static void Expect(Tensor block, long rows, string what)
    {
        if (block.dim() != 2 || block.shape[0] != rows || block.shape[1] < 1)
            throw new ArgumentException($"The block of {what} must be [{rows}, out]; got [{string.Join(", ", block.shape)}].");
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var l in _layers) l.Dispose();
        foreach (var l in _compute) l.Dispose();
    }

    /// <summary>Sizes around one convolution: its input [C, H, W], its output plane and its pooled plane.</summary>
    private sealed record ConvShape(long Channels, long Height, long Width, long ConvHeight, long ConvWidth, long PoolHeight, long PoolWidth);
}
