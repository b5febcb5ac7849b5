using Occam.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>Lanczos top-k eigenpairs against torch.linalg.eigh of the dense matrix (float64).</summary>
public sealed class LanczosTests
{
    [Fact]
    public void TopK_MatchesTheDenseEigendecomposition_OnACurvatureLikeSpectrum()
    {
        using var scope = NewDisposeScope();
        var spectrum = TestMatrices.OutliersAndBulk(300, 12, 11);
        var a = TestMatrices.WithSpectrum(spectrum, 11);
        var op = CurvatureOperator.FromMatrix(a);
        using var generator = new Generator(1);
        using var pairs = Lanczos.TopEigenpairs(op, 10, steps: 150, generator: generator);
        var (values, vectors) = linalg.eigh(a);
        var expected = values.flip(0).narrow(0, 0, 10);
        var relative = ((pairs.Values - expected).abs() / expected.abs()).max().item<double>();
        Assert.True(relative < 1e-9, $"largest relative eigenvalue error {relative:g3}; got [{string.Join(", ", pairs.ValuesArray().Select(v => v.ToString("G6")))}]");
        var overlap = pairs.Vectors.T.matmul(vectors.flip(1).narrow(1, 0, 10)).diagonal().abs(); // |⟨u_i, v_i⟩|
        Assert.True(overlap.min().item<double>() > 1 - 1e-8, $"smallest eigenvector overlap {overlap.min().item<double>():g10}");
        var gram = pairs.Vectors.T.matmul(pairs.Vectors);
        Assert.True(gram.allclose(eye(10, dtype: ScalarType.Float64), 0, 1e-10));
        Assert.Equal(150, op.Products);
    }

    [Fact]
    public void FullLength_ReproducesAnIndefiniteSpectrum_WithRepeatedEigenvalues()
    {
        using var scope = NewDisposeScope();
        double[] spectrum = [5, 5, 5, 2, 0.5, 0, 0, -1, -3, -3];
        var a = TestMatrices.WithSpectrum(spectrum, 5);
        using var generator = new Generator(2);
        using var pairs = Lanczos.TopEigenpairs(CurvatureOperator.FromMatrix(a), 10, steps: 10, generator: generator);
        var expected = spectrum.OrderByDescending(v => v).ToArray();
        var got = pairs.ValuesArray();
        for (int i = 0; i < 10; i++) Assert.True(Math.Abs(got[i] - expected[i]) < 1e-9, $"eigenvalue {i}: {got[i]} against {expected[i]}");
    }

    [Fact]
    public void BadRequests_AreRefused_NamingK()
    {
        var op = CurvatureOperator.FromMatrix(eye(4, dtype: ScalarType.Float64));
        var tooMany = Assert.Throws<ArgumentException>(() => Lanczos.TopEigenpairs(op, 5));
        Assert.Contains("P = 4", tooMany.Message);
        Assert.Equal("count", tooMany.ParamName);
        Assert.Throws<ArgumentException>(() => Lanczos.TopEigenpairs(op, 0));
        Assert.Throws<ArgumentException>(() => Lanczos.TopEigenpairs(op, 2, steps: 1));
    }
}
