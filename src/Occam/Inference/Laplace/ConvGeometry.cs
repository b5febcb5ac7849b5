namespace Occam.Inference.Laplace;

/// <summary>
/// One convolutional stage of a <see cref="ConvStack"/>: a square convolution with stride 1, then ReLU,
/// then (if <paramref name="Pool"/> &gt; 1) non-overlapping max-pooling.
/// </summary>
/// <param name="Kernel">Kernel size k (k × k).</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="Pool">Max-pool window and stride (1: no pooling).</param>
internal sealed record ConvGeometry(int Kernel, int Padding, int Pool);
