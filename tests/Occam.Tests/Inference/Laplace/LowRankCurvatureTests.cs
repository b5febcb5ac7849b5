using Occam.Inference.Laplace;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.CurvatureTestCases;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class LowRankCurvatureTests
{
    [Fact]
    public void FullRank_EqualsDenseCurvature()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(31);
        var matrix = RandomPsd(6, 9, g);
        var (values, vectors) = linalg.eigh(matrix);
        using var lowRank = new LowRankCurvature(vectors, values);
        using var dense = new DenseCurvature(matrix);
        var delta = tensor(0.4);
        var s = tensor(1.9);
        var j = randn(new long[] { 2, 3, 6 }, ScalarType.Float64, generator: g);
        AssertClose(dense.ToDense(), lowRank.ToDense(), 1e-12);
        AssertRelative(dense.LogDeterminant(delta, s).item<double>(), lowRank.LogDeterminant(delta, s).item<double>(), 1e-10);
        AssertClose(dense.InverseQuadraticForm(j, delta, s), lowRank.InverseQuadraticForm(j, delta, s), 1e-10);
        AssertClose(dense.MarginalVariances(delta, s), lowRank.MarginalVariances(delta, s), 1e-10);
    }

    [Fact]
    public void FromMatrixVectorProduct_FindsTopEigenpairsOfMatrixWithSpectralGap()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(32);
        const int p = 60, rank = 5;
        var (q, _) = linalg.qr(randn(new long[] { p, p }, ScalarType.Float64, generator: g));
        var spectrum = cat([tensor(new double[] { 50, 40, 30, 20, 10 }), rand(new long[] { p - rank }, ScalarType.Float64, generator: g)], 0);
        var matrix = (q * spectrum).matmul(q.T);
        var (expectedValues, expectedVectors) = linalg.eigh(matrix);
        var topValues = expectedValues.flip(0).narrow(0, 0, rank);
        var topVectors = expectedVectors.flip(1).narrow(1, 0, rank);

        using var lowRank = LowRankCurvature.FromMatrixVectorProduct(v => matrix.matmul(v), p, rank, g);
        Assert.Equal(rank, lowRank.Rank);
        Assert.Equal(p, lowRank.Size);
        using var values = lowRank.Eigenvalues;
        using var vectors = lowRank.Eigenvectors;
        AssertClose(topValues, values, 1e-6);
        var alignment = (topVectors * vectors).sum(new long[] { 0 }).abs(); // |⟨uᵢ, qᵢ⟩| = 1 up to sign
        AssertClose(ones(rank, dtype: ScalarType.Float64), alignment, 1e-6);
    }

    [Fact]
    public void FromMatrixVectorProduct_RepeatedEigenvalue_RestartsAfterInvariantSubspace()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(33);
        const int p = 30;
        var (q, _) = linalg.qr(randn(new long[] { p, p }, ScalarType.Float64, generator: g));
        var spectrum = zeros(p, dtype: ScalarType.Float64);
        spectrum.narrow(0, 0, 3).copy_(tensor(new double[] { 5, 5, 3 })); // Krylov space from one start has dimension 3
        var matrix = (q * spectrum).matmul(q.T);
        using var lowRank = LowRankCurvature.FromMatrixVectorProduct(v => matrix.matmul(v), p, 3, g);
        using var values = lowRank.Eigenvalues;
        AssertClose(tensor(new double[] { 5, 5, 3 }), values, 1e-9);
        AssertClose(matrix, lowRank.ToDense(), 1e-9);
    }

    [Fact]
    public void FromMatrixVectorProduct_WithFullRank_ReproducesTheMatrix()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(34);
        var matrix = RandomPsd(8, 12, g);
        using var lowRank = LowRankCurvature.FromMatrixVectorProduct(v => matrix.matmul(v), 8, 8, g);
        AssertClose(matrix, lowRank.ToDense(), 1e-9);
    }

    [Fact]
    public void NonConstantPriorPrecision_Throws()
    {
        using var scope = NewDisposeScope();
        using var h = new LowRankCurvature(eye(3).narrow(1, 0, 2), tensor(new double[] { 1, 2 }));
        var e = Assert.Throws<ArgumentException>(() => h.LogDeterminant(tensor(new double[] { 1, 1, 2 }), tensor(1.0)));
        Assert.Contains("one prior precision", e.Message);
    }

    [Fact]
    public void Constructor_RejectsBadEigenpairs()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new LowRankCurvature(ones(3, 2), tensor(new double[] { 1, 2 }))); // not orthonormal
        var e = Assert.Throws<ArgumentException>(() => new LowRankCurvature(eye(3).narrow(1, 0, 2), tensor(new double[] { 1, 2, 3 })));
        Assert.Contains("[2]", e.Message);
        Assert.Throws<ArgumentException>(() => new LowRankCurvature(ones(2, 3), tensor(new double[] { 1, 2, 3 }))); // k > P
        Assert.Throws<ArgumentOutOfRangeException>(() => LowRankCurvature.FromMatrixVectorProduct(v => v.clone(), 4, 5));
        Assert.Throws<InvalidOperationException>(() => LowRankCurvature.FromMatrixVectorProduct(v => ones(3), 4, 2));
    }
}
