using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// How to build a network for a given input shape and number of outputs. Methods build their
/// members from a spec, so a spec describes an architecture, not one set of weights.
/// </summary>
public abstract record NetworkSpec
{
    /// <summary>Builds a fresh, seeded network with <paramref name="members"/> independent members.</summary>
    /// <param name="inputShape">Shape of one input (without N).</param>
    /// <param name="outputs">Raw outputs the likelihood needs.</param>
    /// <param name="members">Members K; only specs with <see cref="SupportsMembers"/> accept K &gt; 1.</param>
    /// <param name="seed">Initialisation seed.</param>
    public abstract nn.Module<Tensor, Tensor> Create(long[] inputShape, int outputs, int members, long seed);

    /// <summary>The network's weights and activations per example for an input shape, when known without building it (null: unknown).</summary>
    public virtual (long Parameters, long ActivationsPerExample)? Size(long[] inputShape, int outputs) => null;

    /// <summary>Whether <see cref="Create"/> can stack K members in one module (batched training).</summary>
    public virtual bool SupportsMembers => false;

    /// <summary>Whether the network has dropout layers (needed by MC dropout).</summary>
    public virtual bool HasDropout => false;

    /// <summary>A short description for reports.</summary>
    public abstract string Describe();

    /// <summary>
    /// The spec with dropout at <paramref name="rate"/> where it has none (MC dropout); a spec that already
    /// has dropout is returned as it is.
    /// </summary>
    /// <exception cref="ArgumentException">An architecture that cannot get dropout (a custom module without dropout layers).</exception>
    public virtual NetworkSpec WithDropout(double rate) => HasDropout ? this
        : throw new ArgumentException($"MC dropout needs a network with dropout layers; {Describe()} has none.", nameof(rate));

    /// <summary>An MLP with the given hidden widths.</summary>
    public static MlpSpec Mlp(params int[] hidden) => new(hidden);
}

/// <summary>An <see cref="Models.Mlp"/> over flat vector inputs.</summary>
/// <param name="Hidden">Hidden widths.</param>
/// <param name="Activation">Hidden non-linearity.</param>
/// <param name="Dropout">Dropout rate after each hidden layer.</param>
/// <param name="InitScale">Multiplier of PyTorch's default initialisation U(±1/√fan_in).</param>
public sealed record MlpSpec(int[] Hidden, Activation Activation = Activation.ReLU, double Dropout = 0.0, double InitScale = 1.0) : NetworkSpec
{
    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Create(long[] inputShape, int outputs, int members, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0) throw new ArgumentException("The input shape is empty.", nameof(inputShape));
        long inputs = inputShape.Aggregate(1L, (a, b) => a * b);
        return new Mlp((int)inputs, Hidden, outputs, Activation, Dropout, members, seed, InitScale)
        {
            ImageShape = inputShape.Length > 1 ? inputShape : null, // images are flattened
        };
    }

    /// <inheritdoc />
    public override (long Parameters, long ActivationsPerExample)? Size(long[] inputShape, int outputs)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long[] widths = [inputShape.Aggregate(1L, (a, b) => a * b), .. Hidden.Select(h => (long)h), outputs];
        long parameters = 0;
        for (int l = 0; l + 1 < widths.Length; l++) parameters += checked(widths[l] * widths[l + 1] + widths[l + 1]);
        return (parameters, widths.Sum());
    }

    /// <inheritdoc />
    public override bool SupportsMembers => true;

    /// <inheritdoc />
    public override bool HasDropout => Dropout > 0;

    /// <inheritdoc />
    public override string Describe() => $"MLP [{string.Join("-", Hidden)}] {Activation}" + (Dropout > 0 ? $", dropout {Dropout}" : "");

    /// <inheritdoc />
    public override NetworkSpec WithDropout(double rate) => HasDropout ? this : this with { Dropout = rate };
}

/// <summary>A <see cref="Models.LeNet5"/> for 28×28 images.</summary>
/// <param name="Dropout">Dropout rate before each fully connected layer.</param>
public sealed record LeNetSpec(double Dropout = 0.0) : NetworkSpec
{
    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Create(long[] inputShape, int outputs, int members, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (members != 1) throw new ArgumentOutOfRangeException(nameof(members), "LeNet5 holds one member; train ensembles member by member.");
        if (inputShape.Length != 3) throw new ArgumentException($"LeNet5 needs image inputs [C, 28, 28]; got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        return new LeNet5(outputs, Dropout, (int)inputShape[0], seed);
    }

    /// <inheritdoc />
    public override bool HasDropout => Dropout > 0;

    /// <inheritdoc />
    public override string Describe() => "LeNet-5" + (Dropout > 0 ? $", dropout {Dropout}" : "");

    /// <inheritdoc />
    public override NetworkSpec WithDropout(double rate) => HasDropout ? this : this with { Dropout = rate };
}

/// <summary>Any user TorchSharp module, built by a factory (one member per call).</summary>
/// <param name="Factory">Builds a fresh module given (input shape, outputs, seed).</param>
/// <param name="Name">Description for reports.</param>
/// <param name="ContainsDropout">Whether the module has <c>Dropout</c> layers (MC dropout switches them on at prediction).</param>
public sealed record CustomSpec(Func<long[], int, long, nn.Module<Tensor, Tensor>> Factory, string Name = "custom module", bool ContainsDropout = false) : NetworkSpec
{
    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Create(long[] inputShape, int outputs, int members, long seed)
    {
        if (members != 1) throw new ArgumentOutOfRangeException(nameof(members), "A custom module holds one member.");
        using var _ = new Core.RandomSeed(seed);
        return Factory(inputShape, outputs, seed) ?? throw new InvalidOperationException("The network factory returned null.");
    }

    /// <inheritdoc />
    public override bool HasDropout => ContainsDropout;

    /// <inheritdoc />
    public override string Describe() => Name;
}
