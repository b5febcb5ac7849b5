using Occam.Models;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>What is needed to rebuild a fitted network: input shape, output sizes and the architecture.</summary>
/// <param name="InputShape">Shape of one input (without N).</param>
/// <param name="Outputs">Raw network outputs O.</param>
/// <param name="Width">Regression targets T or classes C.</param>
/// <param name="Spec">The architecture.</param>
public sealed record NetworkDescription(long[] InputShape, int Outputs, int Width, NetworkSpec Spec)
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="x"/> is float32 inputs [N, InputShape...].</summary>
    public void CheckInputs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != InputShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(InputShape))
            throw new ArgumentException($"Expected inputs [N, {string.Join(", ", InputShape)}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        if (x.dtype != ScalarType.Float32) throw new ArgumentException($"Inputs must be float32; got {x.dtype}.", nameof(x));
    }
}
