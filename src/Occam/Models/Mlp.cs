using Occam.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// A fully connected network whose weights live in one flat parameter, optionally holding K
/// independent members side by side (deep ensembles train them in one batched pass).
/// <para>
/// Layout: the parameter <c>weights</c> has shape [K, P]; per layer l it stores W_l [in, out]
/// row-major followed by b_l [out]. With K = 1 the forward maps [..., in] → [..., out]; with
/// K &gt; 1 it maps [B, in] (shared) or [K, B, in] (per member) → [K, B, out].
/// Dropout (inverted, rate p) is applied after every hidden activation while the module is in
/// training mode or <see cref="StochasticDropout"/> is set.
/// </para>
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, IStochasticDropout, IStackedForward
{
    private readonly int[] _widths;
    private readonly long[] _blockSizes; // W_1, b_1, W_2, b_2, ... element counts in the flat layout
    private readonly Parameter weights;

    /// <summary>Creates the network with PyTorch's default Linear initialisation, U(±1/√fan_in), from a seeded generator.</summary>
    /// <param name="inputs">Input features.</param>
    /// <param name="hidden">Hidden layer widths (may be empty: a linear model).</param>
    /// <param name="outputs">Output units.</param>
    /// <param name="activation">Hidden non-linearity.</param>
    /// <param name="dropout">Dropout rate in [0, 1) after each hidden layer.</param>
    /// <param name="members">Independent members K ≥ 1.</param>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="initScale">Multiplies the initial weights and biases (1 = PyTorch's default). Larger values give more diverse initial functions, hence more diverse ensemble members away from the data.</param>
    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation = Activation.ReLU,
        double dropout = 0.0, int members = 1, long seed = 0, double initScale = 1.0) : base(nameof(Mlp))
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), $"Need at least one input; got {inputs}.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), $"Need at least one output; got {outputs}.");
        if (hidden.Any(h => h < 1)) throw new ArgumentOutOfRangeException(nameof(hidden), "Hidden widths must be at least 1.");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"Dropout must lie in [0, 1); got {dropout}.");
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"Members must be at least 1; got {members}.");
        if (!(initScale > 0) || !double.IsFinite(initScale)) throw new ArgumentOutOfRangeException(nameof(initScale), $"Init scale must be positive; got {initScale}.");
        _widths = [inputs, .. hidden, outputs];
        _blockSizes = [.. Enumerable.Range(0, _widths.Length - 1).SelectMany(l => new[] { (long)_widths[l] * _widths[l + 1], _widths[l + 1] })];
        Activation = activation;
        Dropout = dropout;
        Members = members;
        ParameterCount = Enumerable.Range(0, _widths.Length - 1).Sum(l => (long)_widths[l] * _widths[l + 1] + _widths[l + 1]);
        using (NewDisposeScope())
        {
            var init = InitialWeights(new Generator((ulong)seed)) * initScale;
            weights = new Parameter(init.DetachFromDisposeScope(), requires_grad: true);
        }
        RegisterComponents();
    }

    /// <summary>Layer widths: inputs, hidden..., outputs.</summary>
    public IReadOnlyList<int> Widths => _widths;

    /// <summary>Hidden non-linearity.</summary>
    public Activation Activation { get; }

    /// <summary>Dropout rate after each hidden layer.</summary>
    public double Dropout { get; }

    /// <summary>Number of independent members K.</summary>
    public int Members { get; }

    /// <summary>Weights per member P.</summary>
    public long ParameterCount { get; }

    /// <inheritdoc />
    public bool StochasticDropout { get; set; }

    /// <summary>The flat weights [K, P] (the module's only parameter).</summary>
    public Parameter Weights => weights;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape; // one native call; shape is re-read nowhere below
        if (ImageShape is { } image) (input, shape) = FlattenImages(input, shape, image);
        if (shape.Length == 0 || shape[^1] != _widths[0])
            throw new ArgumentException($"Expected {_widths[0]} input features; got shape [{string.Join(", ", shape)}].", nameof(input));
        bool drop = Dropout > 0 && (StochasticDropout || training);
        return Members == 1 ? ForwardSingle(input, shape, drop) : ForwardStacked(weights, input, shape, drop);
    }

    /// <inheritdoc />
    public bool SupportsStackedForward => Members == 1;

    /// <summary>
    /// Runs this architecture at K other weight vectors at once (e.g. posterior samples), without
    /// touching the module's weights: [B, in] (shared) or [K, B, in] → [K, B, out]. Dropout is off.
    /// </summary>
    /// <param name="weights">Weight vectors [K, P] in this network's layout.</param>
    /// <param name="input">Inputs (image inputs are flattened as in <see cref="forward"/>).</param>
    public Tensor ForwardAt(Tensor weights, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(input);
        if (weights.dim() != 2 || weights.shape[1] != ParameterCount)
            throw new ArgumentException($"Expected weights [K, {ParameterCount}]; got [{string.Join(", ", weights.shape)}].", nameof(weights));
        var shape = input.shape;
        if (ImageShape is { } image) (input, shape) = FlattenImages(input, shape, image);
        if (shape.Length == 0 || shape[^1] != _widths[0])
            throw new ArgumentException($"Expected {_widths[0]} input features; got shape [{string.Join(", ", shape)}].", nameof(input));
        return ForwardStacked(weights, input, shape, false);
    }

    /// <summary>S passes at this network's own weights in one call ([B, ...] → [S, B, out]), each with its own dropout masks.</summary>
    public Tensor ForwardRepeated(Tensor input, int passes)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Members != 1) throw new InvalidOperationException("Repeated passes are defined for a single-member MLP.");
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(passes), $"Passes must be at least 1; got {passes}.");
        return forward(input.unsqueeze(0).expand([passes, .. input.shape]));
    }

    private Tensor ForwardSingle(Tensor input, long[] shape, bool drop)
    {
        var h = shape.Length == 2 ? input : input.reshape(-1, _widths[0]);
        var blocks = Blocks(weights);
        for (int l = 0; l < _widths.Length - 1; l++)
        {
            int fin = _widths[l], fout = _widths[l + 1];
            h = addmm(blocks[2 * l + 1].view(fout), h, blocks[2 * l].view(fin, fout), beta: 1, alpha: 1);
            if (l < _widths.Length - 2) h = Hidden(h, drop);
        }
        return shape.Length == 2 ? h : h.view([.. shape[..^1], _widths[^1]]);
    }

    private Tensor ForwardStacked(Tensor weights, Tensor input, long[] shape, bool drop)
    {
        long members = weights.shape[0];
        if (shape.Length == 2) input = input.unsqueeze(0).expand(members, -1, -1);
        else if (shape.Length != 3 || shape[0] != members)
            throw new ArgumentException($"Expected [B, {_widths[0]}] or [{members}, B, {_widths[0]}]; got [{string.Join(", ", shape)}].", nameof(input));
        var h = input;
        var blocks = Blocks(weights);
        for (int l = 0; l < _widths.Length - 1; l++)
        {
            int fin = _widths[l], fout = _widths[l + 1];
            h = h.bmm(blocks[2 * l].view(members, fin, fout)).add_(blocks[2 * l + 1].unsqueeze(1));
            if (l < _widths.Length - 2) h = Hidden(h, drop);
        }
        return h;
    }

    /// <summary>
    /// The weight and bias blocks [members, size] of stacked weights [members, P], by one split: its
    /// backward writes all blocks' gradients into one buffer, where one narrow per block would each
    /// fill and add a tensor of the full size.
    /// </summary>
    private Tensor[] Blocks(Tensor stacked) => stacked.split(_blockSizes, 1);

    /// <summary>Shape of one input when it is not a flat vector (e.g. [1, 28, 28]); the network flattens it. Null for vector inputs.</summary>
    public long[]? ImageShape { get; init; }

    /// <summary>Flattens trailing image dimensions [..., C, H, W] to [..., C·H·W] when <see cref="ImageShape"/> is set.</summary>
    public Tensor Flatten(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ImageShape is { } image ? FlattenImages(input, input.shape, image).Input : input.alias();
    }

    private static (Tensor Input, long[] Shape) FlattenImages(Tensor input, long[] shape, long[] image)
    {
        if (shape.Length < image.Length + 1 || !shape[^image.Length..].SequenceEqual(image))
            throw new ArgumentException($"Expected inputs [..., {string.Join(", ", image)}]; got [{string.Join(", ", shape)}].", nameof(input));
        long[] flat = [.. shape[..^image.Length], image.Aggregate(1L, (a, b) => a * b)];
        return (input.reshape(flat), flat);
    }

    /// <summary>Offset of layer l's block (W_l then b_l) within one member's P weights.</summary>
    public long LayerOffset(int layer)
    {
        if (layer < 0 || layer >= _widths.Length - 1) throw new ArgumentOutOfRangeException(nameof(layer), $"Layer must lie in 0..{_widths.Length - 2}.");
        long offset = 0;
        for (int l = 0; l < layer; l++) offset += (long)_widths[l] * _widths[l + 1] + _widths[l + 1];
        return offset;
    }

    /// <summary>The features φ(x) [N, F] feeding the last layer (no dropout).</summary>
    internal Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Members != 1) throw new InvalidOperationException("Features are defined for a single-member MLP.");
        using var scope = NewDisposeScope();
        var w = weights.select(0, 0);
        var h = Flatten(input);
        for (int l = 0; l < _widths.Length - 2; l++)
        {
            int fin = _widths[l], fout = _widths[l + 1];
            long offset = LayerOffset(l);
            h = Activation.Apply(addmm(w.narrow(0, offset + (long)fin * fout, fout), h, w.narrow(0, offset, (long)fin * fout).view(fin, fout), beta: 1, alpha: 1));
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>A detached copy of the last layer: weight W [F, O] (inputs × outputs, this network's layout) and bias b [O].</summary>
    internal (Tensor Weight, Tensor Bias) LastLayer()
    {
        int l = _widths.Length - 2, fin = _widths[l], fout = _widths[l + 1];
        long offset = LayerOffset(l);
        using var noGrad = no_grad();
        var w = weights.select(0, 0);
        return (w.narrow(0, offset, (long)fin * fout).view(fin, fout).detach().clone(), w.narrow(0, offset + (long)fin * fout, fout).detach().clone());
    }

    private Tensor Hidden(Tensor h, bool drop)
    {
        h = Activation.Apply(h);
        return drop ? nn.functional.dropout(h, Dropout, true) : h;
    }

    private Tensor InitialWeights(Generator generator)
    {
        var parts = new List<Tensor>();
        for (int l = 0; l < _widths.Length - 1; l++)
        {
            int fin = _widths[l], fout = _widths[l + 1];
            double bound = 1.0 / Math.Sqrt(fin);
            parts.Add((rand(new long[] { Members, (long)fin * fout }, generator: generator) * 2 - 1) * bound);
            parts.Add((rand(new long[] { Members, fout }, generator: generator) * 2 - 1) * bound);
        }
        return cat(parts.ToArray(), 1);
    }
}
