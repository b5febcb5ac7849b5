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

    /// <summary>
    /// The convolution diagonal accumulated slice by slice over 70 images (so a 64-image slice boundary
    /// is crossed) equals diag(Σₙ JₙᵀΛₙJₙ) from the assembled per-example Jacobian, with random
    /// positive-definite Λ and with Λ = I.
    /// </summary>
    [Fact]
    public void ConvolutionDiagonal_AcrossImageSlices_EqualsTheDiagonalOfTheAssembledCurvature()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(43);
        long n = 70, outputs = 3, c = 2, b = 4, k = 3;
        var padded = nn.functional.pad(randn(new long[] { n, c, 5, 5 }, ScalarType.Float64, generator: generator), new long[] { 1, 1, 1, 1 });
        var g = randn(new long[] { n, outputs, b, 5, 5 }, ScalarType.Float64, generator: generator);
        var root = randn(new long[] { n, outputs, outputs }, ScalarType.Float64, generator: generator);
        var lambda = root.bmm(root.transpose(1, 2)) + eye(outputs, dtype: ScalarType.Float64);
        var j = FactorAlgebra.Block(padded, g, (int)outputs); // [N, O, a·b], rows (c, u, v, bias) × b
        foreach (var l in new Tensor?[] { lambda, null })
        {
            var expected = (j * (l is null ? j : l.bmm(j))).sum(new long[] { 0, 1 }).view(c * k * k + 1, b);
            var (kernel, bias) = FactorAlgebra.ConvolutionDiagonal(padded, g, (int)outputs, l);
            AssertClose(expected.narrow(0, 0, c * k * k), kernel.t(), 1e-10, $"kernel diagonal, Λ {(l is null ? "= I" : "random")}");
            AssertClose(expected[-1], bias, 1e-10, $"bias diagonal, Λ {(l is null ? "= I" : "random")}");
        }
    }
}
