using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>Element-wise non-linearities available to <see cref="Mlp"/>.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x·Φ(x).</summary>
    Gelu,

    /// <summary>log(1 + eˣ).</summary>
    Softplus,
}

internal static class ActivationExtensions
{
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.ReLU => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Gelu => nn.functional.gelu(x),
        Activation.Softplus => nn.functional.softplus(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
