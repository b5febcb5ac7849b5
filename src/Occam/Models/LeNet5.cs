using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// A LeNet-5 style CNN for 1×28×28 images: conv(6, 5×5, pad 2) → ReLU → max-pool 2 → conv(16, 5×5)
/// → ReLU → max-pool 2 → fc 120 → ReLU → fc 84 → ReLU → fc outputs, with optional dropout before
/// each fully connected layer (active in training mode, or always while <see cref="StochasticDropout"/> is set).
/// </summary>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>, IStochasticDropout
{
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
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[2] != 28 || input.shape[3] != 28)
            throw new ArgumentException($"LeNet5 expects images [N, C, 28, 28]; got [{string.Join(", ", input.shape)}].", nameof(input));
        bool drop = Dropout > 0 && (training || StochasticDropout);
        var h = nn.functional.max_pool2d(nn.functional.relu(conv1.call(input)), 2);
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.call(h)), 2).flatten(1);
        h = nn.functional.relu(fc1.call(MaybeDrop(h, drop)));
        h = nn.functional.relu(fc2.call(MaybeDrop(h, drop)));
        return fc3.call(MaybeDrop(h, drop));
    }

    private Tensor MaybeDrop(Tensor h, bool drop) => drop ? nn.functional.dropout(h, Dropout, true) : h;
}
