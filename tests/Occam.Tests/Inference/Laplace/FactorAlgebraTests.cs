using Occam.Inference.Laplace;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.LeNetJacobian;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class FactorAlgebraTests
{
    /// <summary>
    /// A convolution's per-example Jacobian and KFAC input factor over 70 images, so the 64-image slices
    /// of the patch copies meet a boundary: both equal the products of patches cut by plain slicing,
    /// and the Jacobian summed over the images equals autograd's weight gradient in PyTorch's layout.
    /// </summary>
    [Fact]
    public void ConvolutionFactors_AcrossImageSlices_EqualPatchProductsAndAutograd()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(41);
        long n = 70, outputs = 2, c = 2, b = 3, k = 3;
        var images = randn(new long[] { n, c, 6, 6 }, ScalarType.Float64, generator: generator);
        var padded = nn.functional.pad(images, new long[] { 1, 1, 1, 1 }); // [N, C, 8, 8]: a 6×6 output plane
        var g = randn(new long[] { n, outputs, b, 6, 6 }, ScalarType.Float64, generator: generator);

        var patches = ConvStackTests.Patches(images, (int)k, 1); // [N, T, a]
        var perImage = g.reshape(n, outputs, b, 36).matmul(patches.unsqueeze(1)); // [N, O, b, a]: Σₜ G ã
        var expected = perImage.transpose(2, 3).reshape(n, outputs, -1); // rows (c, u, v, bias) × b
        AssertClose(expected, FactorAlgebra.Block(padded, g, (int)outputs), 1e-10, "per-example Jacobian");
        var flat = patches.reshape(-1, c * k * k + 1);
        AssertClose(flat.t().matmul(flat), FactorAlgebra.PatchGram(padded, g), 1e-10, "Σ ã ãᵀ");

        var weight = zeros(new long[] { b, c, k, k }, ScalarType.Float64).requires_grad_(true);
        var bias = zeros(b, ScalarType.Float64).requires_grad_(true);
        var z = nn.functional.conv2d(images, weight, bias, padding: new long[] { 1, 1 }); // [N, b, 6, 6]
        var output = (z * g.select(1, 1)).sum(); // Σₙ of output direction 1
        var grads = autograd.grad([output], [weight, bias]);
        var summed = FactorAlgebra.Block(padded, g, (int)outputs).sum(0L)[1].view(c * k * k + 1, b);
        AssertClose(grads[0].reshape(b, -1).t(), summed.narrow(0, 0, c * k * k), 1e-10, "kernel rows vs autograd");
        AssertClose(grads[1], summed[-1], 1e-10, "bias row vs autograd");
    }
}
