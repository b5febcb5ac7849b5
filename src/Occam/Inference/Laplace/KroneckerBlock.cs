using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// One Kronecker-factored curvature block A ⊗ B (KFAC for one layer), covering a·b consecutive weights
/// ordered so that the block equals torch.kron(A, B): weight index within the block = i·b + j, where i
/// indexes A and j indexes B. Both factors are symmetric PSD. The block does not own its tensors;
/// <see cref="KroneckerCurvature"/> copies what it needs.
/// </summary>
/// <param name="A">The first factor, [a, a] (for a linear layer's weight in PyTorch's [out, in] layout: the output-side factor).</param>
/// <param name="B">The second factor, [b, b] (the input-side factor for that layout).</param>
public sealed record KroneckerBlock(Tensor A, Tensor B);
