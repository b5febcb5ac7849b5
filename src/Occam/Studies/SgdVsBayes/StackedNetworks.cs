using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// K fully connected ReLU networks with one output, stacked along a member dimension in one flat float32
/// weight matrix θ [K, P] (per layer l: W_l [in, out] row-major, then b_l [out]), with a hand-written
/// batched forward and backward pass: every member sees its own mini-batch [K, B, n] and gets the gradient
/// of its own mean loss. Initialisation: weights N(0, σ_w²/fan_in), biases N(0, σ_b²). Owns θ.
/// </summary>
internal sealed class StackedNetworks : IDisposable
{
    private readonly int[] _widths;
    private readonly long[] _blocks;   // element counts of W_1, b_1, W_2, b_2, ...

    private StackedNetworks(int[] widths, Tensor theta)
    {
        _widths = widths;
        _blocks = Enumerable.Range(0, widths.Length - 1).SelectMany(l => new[] { (long)widths[l] * widths[l + 1], widths[l + 1] }).ToArray();
        Theta = theta;
    }

    /// <summary>The flat weights [K, P] (float32).</summary>
    public Tensor Theta { get; private set; }

    /// <summary>Members K.</summary>
    public long Members => Theta.size(0);

    /// <summary>Weights per member P.</summary>
    public long Parameters => Theta.size(1);

    /// <summary>K networks n → hidden… → 1 drawn from the prior with the given generator.</summary>
    public static StackedNetworks Initialise(long members, int inputs, IReadOnlyList<int> hidden, double weightSd, double biasSd, Generator generator)
    {
        int[] widths = [inputs, .. hidden, 1];
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (int l = 0; l < widths.Length - 1; l++)
        {
            parts.Add(randn(new long[] { members, (long)widths[l] * widths[l + 1] }, generator: generator) * (weightSd / Math.Sqrt(widths[l])));
            parts.Add(randn(new long[] { members, widths[l + 1] }, generator: generator) * biasSd);
        }
        return new StackedNetworks(widths, cat(parts, 1).DetachFromDisposeScope());
    }

    /// <summary>Outputs [K, B] for inputs [B, n] shared by all members or [K, B, n] per member (a new tensor in the caller's scope).</summary>
    public Tensor Forward(Tensor x) => Activations(x).Output;

    /// <summary>
    /// The mean loss gradient of every member, flat [K, P], for its mini-batch <paramref name="x"/> [K, B, n]
    /// and labels <paramref name="labels"/> [K, B] in {0, 1}: cross-entropy on the logit, or squared error
    /// to ±1 (tensors in the caller's scope).
    /// </summary>
    public Tensor Gradient(Tensor x, Tensor labels, StudyLoss loss)
    {
        var (output, layers) = Activations(x);
        var sign = labels * 2 - 1;                                             // ±1, [K, B]
        long batch = x.size(1);
        var g = loss == StudyLoss.CrossEntropy
            ? (-sign * (-sign * output).sigmoid()) / batch                     // d softplus(−s f)/df
            : (output - sign) * (2.0 / batch);                                 // d (f − s)²/df
        var delta = g.unsqueeze(2);                                            // [K, B, 1]
        var grads = new Tensor[_blocks.Length];
        var views = Views(Theta);
        for (int l = _widths.Length - 2; l >= 0; l--)
        {
            var input = layers[l];                                             // a_{l}: [K, B, in] (or the shared input)
            grads[2 * l] = input.transpose(1, 2).bmm(delta).reshape(Members, -1);
            grads[2 * l + 1] = delta.sum(1);
            if (l > 0) delta = delta.bmm(views[2 * l].transpose(1, 2)).mul_(layers[l].gt(0));
        }
        return cat(grads, 1);
    }

    /// <summary>Keeps the members at <paramref name="index"/> (int64 [K′]).</summary>
    public void Keep(Tensor index)
    {
        var kept = Theta.index_select(0, index).DetachFromDisposeScope();
        Theta.Dispose();
        Theta = kept;
    }

    /// <summary>The output and the inputs of every layer (a_0 = x expanded to [K, B, n], a_l = relu(z_l)).</summary>
    private (Tensor Output, Tensor[] Layers) Activations(Tensor x)
    {
        var views = Views(Theta);
        var a = x.dim() == 2 ? x.unsqueeze(0).expand(Members, -1, -1) : x;
        var layers = new Tensor[_widths.Length - 1];
        for (int l = 0; l < _widths.Length - 1; l++)
        {
            layers[l] = a;
            var z = a.bmm(views[2 * l]).add_(views[2 * l + 1].unsqueeze(1));
            a = l < _widths.Length - 2 ? z.relu_() : z;
        }
        return (a.squeeze(2), layers);
    }

    /// <summary>W_l [K, in, out] and b_l [K, out] as views of <paramref name="theta"/>.</summary>
    private Tensor[] Views(Tensor theta)
    {
        var parts = theta.split(_blocks, 1);
        for (int l = 0; l < _widths.Length - 1; l++) parts[2 * l] = parts[2 * l].view(Members, _widths[l], _widths[l + 1]);
        return parts;
    }

    public void Dispose() => Theta.Dispose();
}

/// <summary>The training loss of the study's networks.</summary>
public enum StudyLoss
{
    /// <summary>Binary cross-entropy on the output logit.</summary>
    CrossEntropy,

    /// <summary>Squared error between the output and the label as ±1.</summary>
    [Core.Options.OptionAlias("mse")]
    SquaredError,
}

/// <summary>The optimiser of the study's networks.</summary>
public enum StudyOptimizer
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,

    /// <summary>Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).</summary>
    Adam,
}
