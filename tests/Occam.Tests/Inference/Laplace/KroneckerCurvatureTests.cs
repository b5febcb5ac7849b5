using Occam.Inference.Laplace;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.CurvatureTestCases;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class KroneckerCurvatureTests
{
    [Fact]
    public void ToDense_IsBlockDiagonalOfTorchKron()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(21);
        var (a1, b1, a2, b2) = (RandomPsd(3, 5, g), RandomPsd(2, 4, g), RandomPsd(2, 3, g), RandomPsd(4, 6, g));
        using var h = new KroneckerCurvature([new KroneckerBlock(a1, b1), new KroneckerBlock(a2, b2)]);
        Assert.Equal(14, h.Size);
        Assert.Equal(2, h.BlockCount);
        var expected = zeros(14, 14, dtype: ScalarType.Float64);
        expected.narrow(0, 0, 6).narrow(1, 0, 6).copy_(kron(a1, b1));
        expected.narrow(0, 6, 8).narrow(1, 6, 8).copy_(kron(a2, b2));
        AssertClose(expected, h.ToDense(), 1e-13);
    }

    [Fact]
    public void TwoLayers_PrimitivesMatchDense_WithOnePriorPrecisionPerLayer()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(22);
        using var h = new KroneckerCurvature([new KroneckerBlock(RandomPsd(4, 3, g), RandomPsd(3, 2, g)), new KroneckerBlock(RandomPsd(3, 6, g), RandomPsd(5, 2, g))], 27);
        var delta = cat([full(12, 0.2, dtype: ScalarType.Float64), full(15, 4.0, dtype: ScalarType.Float64)], 0);
        var s = tensor(0.6);
        var pi = 0.6 * h.ToDense() + diag(delta);
        var inverse = linalg.inv(pi);
        var j = randn(new long[] { 3, 2, 27 }, ScalarType.Float64, generator: g);
        AssertRelative(linalg.slogdet(pi).Item2.item<double>(), h.LogDeterminant(delta, s).item<double>(), 1e-9);
        AssertClose(j.matmul(inverse).matmul(j.transpose(1, 2)), h.InverseQuadraticForm(j, delta, s), 1e-10);
        AssertClose(inverse.diagonal(), h.MarginalVariances(delta, s), 1e-10);
    }

    [Fact]
    public void FactorWithTinyNegativeEigenvalue_IsClampedToPositiveSemidefinite()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[] { 1, 1, 1, 1 }).view(2, 2) - 1e-13 * eye(2, dtype: ScalarType.Float64); // eigenvalues 2, −1e-13
        var b = tensor(new double[] { 2, 0, 0, 1 }).view(2, 2);
        using var h = new KroneckerCurvature([new KroneckerBlock(a, b)]);
        AssertClose(kron(a, b), h.ToDense(), 1e-12);
        var logDet = h.LogDeterminant(tensor(1e-3), tensor(1.0)).item<double>();
        double expected = Math.Log(2 * 2 + 1e-3) + Math.Log(2 * 1 + 1e-3) + 2 * Math.Log(1e-3);
        AssertRelative(expected, logDet, 1e-9);
    }

    [Fact]
    public void PriorPrecisionVaryingWithinBlock_Throws()
    {
        using var scope = NewDisposeScope();
        using var h = new KroneckerCurvature([new KroneckerBlock(eye(2), eye(2)), new KroneckerBlock(eye(1), eye(2))]);
        var delta = tensor(new double[] { 1, 1, 1, 1, 2, 3 });
        var e = Assert.Throws<ArgumentException>(() => h.LogDeterminant(delta, tensor(1.0)));
        Assert.Contains("KFAC needs one prior precision per layer", e.Message);
        Assert.Contains("block 1", e.Message);
        h.LogDeterminant(tensor(new double[] { 1, 1, 1, 1, 2, 2 }), tensor(1.0)).Dispose(); // constant per block is fine
    }

    [Fact]
    public void Jacobians_WithWrongWidth_Throw()
    {
        using var scope = NewDisposeScope();
        using var h = new KroneckerCurvature([new KroneckerBlock(eye(2), eye(3))]);
        var e = Assert.Throws<ArgumentException>(() => h.InverseQuadraticForm(ones(4, 1, 5), tensor(1.0), tensor(1.0)));
        Assert.Contains("[N, O, 6]", e.Message);
    }

    [Fact]
    public void Blocks_NotCoveringAllWeights_OrMalformed_Throw()
    {
        using var scope = NewDisposeScope();
        var blocks = new[] { new KroneckerBlock(eye(2), eye(3)), new KroneckerBlock(eye(1), eye(2)) };
        var e = Assert.Throws<ArgumentException>(() => new KroneckerCurvature(blocks, 9));
        Assert.Contains("cover 8", e.Message);
        Assert.Throws<ArgumentException>(() => new KroneckerCurvature(Array.Empty<KroneckerBlock>()));
        Assert.Throws<ArgumentException>(() => new KroneckerCurvature([new KroneckerBlock(ones(2, 3), eye(2))]));
        Assert.Throws<ArgumentException>(() => new KroneckerCurvature([new KroneckerBlock(eye(2), ones(4))]));
        using var ok = new KroneckerCurvature(blocks, 8);
        Assert.Equal(8, ok.Size);
    }
}
