using Occam.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// A LeNet-5 style CNN for 1×28×28 images: conv(6, 5×5, pad 2) → ReLU → max-pool 2 → conv(16, 5×5)
/// → ReLU → max-pool 2 → fc 120 → ReLU → fc 84 → ReLU → fc outputs, with optional dropout before
/// each fully connected layer (active in training mode, or always while <see cref="StochasticDropout"/> is set).
/// <para>
/// Dropout never touches the convolutions, so <see cref="ForwardRepeated"/> computes the convolutional
/// features once and runs only the fully connected head S times. Its masks are consistent: pass s uses
/// one mask for every input of the call (Kirsch et al. 2019's consistent MC dropout), so the S passes are S
/// whole functions, which joint acquisition scores such as BatchBALD need. Each input's marginal over the
/// masks is the same as with independent masks.
/// </para>
/// </summary>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>, IStochasticDropout, IStackedForward
{
    private const long RowsPerGroup = 32768; // bounds the memory of repeated passes: S·B rows of 400 + 120 + 84 features at most

    private readonly Conv2d conv1, conv2;
    private readonly Linear fc1, fc2, fc3;

    /// <summary>Creates the network with the given number of outputs (classes) and dropout rate.</summary>
    public LeNet5(int outputs = 10, double dropout = 0.0, int channels = 1, long seed = 0) : base(nameof(LeNet5))
    {
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), "Need at least one output.");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"Dropout must lie in [0, 1); got {dropout}.");
        Dropout = dropout;
        using (var _ = new Core.RandomSeed(seed))
        {
            conv1 = nn.Conv2d(channels, 6, 5, padding: 2);
            conv2 = nn.Conv2d(6, 16, 5);
            fc1 = nn.Linear(16 * 5 * 5, 120);
            fc2 = nn.Linear(120, 84);
            fc3 = nn.Linear(84, outputs);
        }
        RegisterComponents();
    }

    /// <summary>Dropout rate before each fully connected layer.</summary>
    public double Dropout { get; }

    /// <summary>The convolutions and fully connected layers in parameter order (for Laplace over all weights).</summary>
    internal (Conv2d[] Convolutions, Linear[] FullyConnected) Layers => ([conv1, conv2], [fc1, fc2, fc3]);

    /// <inheritdoc />
    public bool StochasticDropout { get; set; }

    /// <inheritdoc />
    public bool SupportsStackedForward => true;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        bool drop = Dropout > 0 && (training || StochasticDropout);
        var h = OwnFeatures(input);
        h = nn.functional.relu(fc1.call(MaybeDrop(h, drop)));
        h = nn.functional.relu(fc2.call(MaybeDrop(h, drop)));
        return fc3.call(MaybeDrop(h, drop));
    }

    /// <summary>
    /// Outputs [S, N, outputs] at S weight vectors <paramref name="thetas"/> [S, P] (in
    /// <see cref="WeightSpace"/> order), without touching the module's weights. Dropout is off.
    /// </summary>
    public Tensor ForwardAt(Tensor thetas, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        CheckInput(input);
        var parameters = this.parameters().ToArray();
        long count = parameters.Sum(p => p.numel());
        if (thetas.dim() != 2 || thetas.shape[1] != count)
            throw new ArgumentException($"Expected weight vectors [S, {count}]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        using var scope = NewDisposeScope();
        var outputs = new Tensor[thetas.shape[0]];
        var sizes = parameters.Select(p => p.numel()).ToArray();
        for (int s = 0; s < outputs.Length; s++)
        {
            var w = thetas[s].to_type(parameters[0].dtype).split(sizes).Select((part, i) => part.view(parameters[i].shape)).ToArray();
            var h = Features(input, w[0], w[1], w[2], w[3]);
            h = nn.functional.relu(nn.functional.linear(h, w[4], w[5]));
            h = nn.functional.relu(nn.functional.linear(h, w[6], w[7]));
            outputs[s] = nn.functional.linear(h, w[8], w[9]);
        }
        return stack(outputs).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// S passes at the module's own weights ([N, C, 28, 28] → [S, N, outputs]): the convolutions once, the
    /// fully connected head S times with consistent dropout masks (one per pass, shared by the N inputs)
    /// when dropout is active.
    /// </summary>
    public Tensor ForwardRepeated(Tensor input, int passes)
    {
        CheckInput(input);
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(passes), $"Passes must be at least 1; got {passes}.");
        using var scope = NewDisposeScope();
        bool drop = Dropout > 0 && (training || StochasticDropout);
        var features = OwnFeatures(input);
        if (!drop) return Head(features, false, 1).expand(passes, -1, -1).contiguous().MoveToOuterDisposeScope();
        long n = Math.Max(1, input.shape[0]);
        int group = (int)Math.Clamp(RowsPerGroup / n, 1, passes);
        var parts = new List<Tensor>();
        for (int done = 0; done < passes; done += group)
            parts.Add(Head(features, true, Math.Min(group, passes - done)));
        return (parts.Count == 1 ? parts[0] : cat(parts.ToArray(), 0)).MoveToOuterDisposeScope();
    }

    private Tensor Head(Tensor features, bool drop, int passes)
    {
        var h = features.unsqueeze(0);
        if (drop) h = h.expand(passes, -1, -1);
        h = nn.functional.relu(fc1.call(ConsistentDrop(h, drop)));
        h = nn.functional.relu(fc2.call(ConsistentDrop(h, drop)));
        return fc3.call(ConsistentDrop(h, drop));
    }

    /// <summary>Inverted dropout with one mask per pass: [S, N, F] times a mask [S, 1, F] of Bernoulli(1 − p)/(1 − p).</summary>
    private Tensor ConsistentDrop(Tensor h, bool drop)
    {
        if (!drop) return h;
        var mask = empty(h.shape[0], 1, h.shape[2], h.dtype, h.device).bernoulli_(1 - Dropout).div_(1 - Dropout);
        return h * mask;
    }

    private Tensor OwnFeatures(Tensor input)
    {
        var h = nn.functional.max_pool2d(nn.functional.relu(conv1.call(input)), 2);
        return nn.functional.max_pool2d(nn.functional.relu(conv2.call(h)), 2).flatten(1);
    }

    private static Tensor Features(Tensor input, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        var h = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(input, w1, b1, padding: [2, 2])), 2);
        return nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(h, w2, b2)), 2).flatten(1);
    }

    private static void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[2] != 28 || input.shape[3] != 28)
            throw new ArgumentException($"LeNet5 expects images [N, C, 28, 28]; got [{string.Join(", ", input.shape)}].", nameof(input));
    }

    private Tensor MaybeDrop(Tensor h, bool drop) => drop ? nn.functional.dropout(h, Dropout, true) : h;
}
