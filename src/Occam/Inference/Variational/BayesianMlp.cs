using Occam.Models;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// An <see cref="Mlp"/> with factorised Gaussian weights. μ and ρ are laid out like
/// <see cref="Mlp.Weights"/> (per layer W_l [in, out] row-major, then b_l [out]). Every Linear layer
/// samples its pre-activations by the local reparameterisation trick: mean a·μ_W + μ_b, variance
/// a²·σ_W² + σ_b², one independent draw per example.
/// </summary>
public sealed class BayesianMlp : BayesianNetwork
{
    private readonly int[] _widths;
    private readonly long[] _sizes; // W_1, b_1, W_2, b_2, ... element counts in the flat layout

    /// <summary>Wraps a single-member <paramref name="network"/>: its weights become μ, σ = <paramref name="initialSd"/>; dropout is dropped.</summary>
    /// <param name="network">The plain network (left untouched).</param>
    /// <param name="initialSd">Initial σ₀ &gt; 0 of every weight (default <see cref="BayesianNetwork.DefaultInitialSd"/>).</param>
    public BayesianMlp(Mlp network, double initialSd = DefaultInitialSd) : base(nameof(BayesianMlp), MeansOf(network), initialSd)
    {
        _widths = [.. network.Widths];
        _sizes = [.. Enumerable.Range(0, _widths.Length - 1).SelectMany(l => new[] { (long)_widths[l] * _widths[l + 1], _widths[l + 1] })];
        Activation = network.Activation;
        ImageShape = network.ImageShape;
    }

    /// <summary>Layer widths: inputs, hidden..., outputs.</summary>
    public IReadOnlyList<int> Widths => _widths;

    /// <summary>Hidden non-linearity.</summary>
    public Activation Activation { get; }

    /// <summary>Shape of one input when it is an image the network flattens (as in <see cref="Mlp.ImageShape"/>); null for vector inputs.</summary>
    public long[]? ImageShape { get; }

    private protected override Tensor Sample(Tensor input)
    {
        var h = Flatten(input);
        var variance = nn.functional.softplus(RawScales).square();
        // split, not one narrow per tensor: split's backward writes every slice's gradient into one
        // [P] buffer, while each narrow's backward fills and adds a [P] tensor of its own
        var means = Means.split(_sizes);
        var variances = variance.split(_sizes);
        for (int l = 0; l < _widths.Length - 1; l++)
        {
            int fin = _widths[l], fout = _widths[l + 1];
            h = LocalReparameterisation.Linear(h, means[2 * l].view(fin, fout), variances[2 * l].view(fin, fout), means[2 * l + 1], variances[2 * l + 1]);
            if (l < _widths.Length - 2) h = Activation.Apply(h);
        }
        return h;
    }

    private Tensor Flatten(Tensor input)
    {
        var shape = input.shape;
        long[] expected = ImageShape ?? [_widths[0]];
        if (shape.Length != expected.Length + 1 || !shape[1..].SequenceEqual(expected))
            throw new ArgumentException($"Expected inputs [B, {string.Join(", ", expected)}]; got [{string.Join(", ", shape)}].", nameof(input));
        return ImageShape is null ? input : input.reshape(shape[0], _widths[0]);
    }

    private static Tensor MeansOf(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        EnsureSupported(network);
        return Core.WeightSpace.Of(network).Get();
    }
}
