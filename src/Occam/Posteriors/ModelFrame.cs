using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// What a fitted posterior knows about the data it was fitted on: the task, the shape of one input,
/// the raw outputs O its model produces, the number of targets T or classes C, and the training
/// split's standardisation (undone on the way out).
/// </summary>
/// <param name="Task">Regression or classification.</param>
/// <param name="InputShape">Shape of one input, without N.</param>
/// <param name="Outputs">Raw model outputs O (e.g. 2T for a heteroscedastic head).</param>
/// <param name="Width">Regression targets T or classes C.</param>
/// <param name="Standardiser">The training split's standardisation (identity when none).</param>
public sealed record ModelFrame(TaskKind Task, long[] InputShape, int Outputs, int Width, Standardiser Standardiser)
{
    /// <summary>How the model was made and how its data is read (inputs, table encodings, labels, method, fingerprint), when recorded.</summary>
    public ModelSchema? Schema { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="x"/> is float32 inputs [N, InputShape...].</summary>
    public void CheckInputs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != InputShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(InputShape))
            throw new ArgumentException($"Expected inputs [N, {string.Join(", ", InputShape)}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        if (x.dtype != ScalarType.Float32) throw new ArgumentException($"Inputs must be float32; got {x.dtype}.", nameof(x));
    }
}
