using Occam.Models;

namespace Occam.Inference;

/// <summary>What is needed to rebuild a fitted network: input shape, output sizes and the architecture.</summary>
/// <param name="InputShape">Shape of one input (without N).</param>
/// <param name="Outputs">Raw network outputs O.</param>
/// <param name="Width">Regression targets T or classes C.</param>
/// <param name="Spec">The architecture.</param>
public sealed record NetworkDescription(long[] InputShape, int Outputs, int Width, NetworkSpec Spec);
