using Occam.Models;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// A <see cref="LeNet5"/> with factorised Gaussian weights, same architecture: its two Conv2d layers
/// use Flipout (one weight perturbation per batch, decorrelated by per-example sign flips) and its
/// three Linear layers the local reparameterisation trick. μ and ρ follow <c>LeNet5.parameters()</c>
/// order: conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2..., fc3....
/// </summary>
public sealed class BayesianLeNet5 : BayesianNetwork
{
    private const int ParameterTensors = 10;
    private readonly long[][] _shapes;
    private readonly long[] _offsets;

    /// <summary>Wraps <paramref name="network"/>: its weights become μ, σ = <paramref name="initialSd"/>; dropout is dropped.</summary>
    /// <param name="network">The plain network (left untouched).</param>
    /// <param name="initialSd">Initial σ₀ &gt; 0 of every weight (default <see cref="BayesianNetwork.DefaultInitialSd"/>).</param>
    public BayesianLeNet5(LeNet5 network, double initialSd = DefaultInitialSd) : base(nameof(BayesianLeNet5), MeansOf(network), initialSd)
    {
        _shapes = network.parameters().Select(p => p.shape).ToArray();
        _offsets = new long[ParameterTensors];
        for (int i = 1; i < ParameterTensors; i++) _offsets[i] = _offsets[i - 1] + _shapes[i - 1].Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>Input channels C of the images [B, C, 28, 28].</summary>
    public long Channels => _shapes[0][1];

    private protected override Tensor Sample(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length != 4 || shape[1] != Channels || shape[2] != 28 || shape[3] != 28)
            throw new ArgumentException($"Expected images [B, {Channels}, 28, 28]; got [{string.Join(", ", shape)}].", nameof(input));
        var sd = nn.functional.softplus(RawScales);
        var variance = sd.square();
        var h = Flipout.Conv2d(input, Slice(Means, 0), Slice(sd, 0), Slice(Means, 1), Slice(sd, 1), padding: 2);
        h = nn.functional.max_pool2d(nn.functional.relu(h), 2);
        h = Flipout.Conv2d(h, Slice(Means, 2), Slice(sd, 2), Slice(Means, 3), Slice(sd, 3), padding: 0);
        h = nn.functional.max_pool2d(nn.functional.relu(h), 2).flatten(1);
        h = nn.functional.relu(Linear(h, variance, 4));
        h = nn.functional.relu(Linear(h, variance, 6));
        return Linear(h, variance, 8);
    }

    /// <summary>The Linear layer whose weight [out, in] is parameter tensor <paramref name="index"/> and bias the next one.</summary>
    private Tensor Linear(Tensor h, Tensor variance, int index) => LocalReparameterisation.Linear(h,
        Slice(Means, index).t(), Slice(variance, index).t(), Slice(Means, index + 1), Slice(variance, index + 1));

    private Tensor Slice(Tensor flat, int index) =>
        flat.narrow(0, _offsets[index], _shapes[index].Aggregate(1L, (a, b) => a * b)).view(_shapes[index]);

    private static Tensor MeansOf(LeNet5 network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int count = network.parameters().Count();
        if (count != ParameterTensors) throw new ArgumentException($"Expected LeNet5's {ParameterTensors} parameter tensors; got {count}.", nameof(network));
        return Core.WeightSpace.Of(network).Get();
    }
}
