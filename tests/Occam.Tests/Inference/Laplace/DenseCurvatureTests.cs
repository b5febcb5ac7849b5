using Occam.Inference.Laplace;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.CurvatureTestCases;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class DenseCurvatureTests
{
    [Fact]
    public void SingularCurvature_WithTinyPriorPrecision_AddsJitterAndReportsIt()
    {
        using var scope = NewDisposeScope();
        using var h = new DenseCurvature(ones(4, 4, dtype: ScalarType.Float64)); // rank 1
        var tiny = tensor(new double[] { 1e-300, 2e-300, 3e-300, 4e-300 }); // not constant: Cholesky route
        var s = tensor(1.0);
        var logDet = h.LogDeterminant(tiny, s).item<double>();
        double jitter = h.JitterUsed;
        Assert.True(jitter > 0, "jitter should have been needed");
        Assert.True(jitter < 1e-6, $"jitter {jitter} should stay small");
        var (_, expected) = linalg.slogdet(ones(4, 4, dtype: ScalarType.Float64) + jitter * eye(4, dtype: ScalarType.Float64));
        AssertRelative(expected.item<double>(), logDet, 1e-6);
        Assert.True(h.Sample(10, tiny, s).isfinite().all().item<bool>());
        Assert.True(h.MarginalVariances(tiny, s).isfinite().all().item<bool>());

        h.LogDeterminant(tensor(new double[] { 1, 2, 3, 4 }), s).Dispose(); // healthy δ, Cholesky route: no jitter
        Assert.Equal(0.0, h.JitterUsed);
    }

    [Fact]
    public void MostlyZeroCurvature_DecomposesExactly()
    {
        // A subnetwork of mostly dead ReLU weights: 190 of 200 rows exactly zero, the rest a small rank-one block.
        // The spectral route splits the zero rows off before decomposing; its answers must equal the dense ones.
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var active = tensor(Enumerable.Range(0, 10).Select(i => (long)(i * 19 + 3)).ToArray());
        var block = RandomPsd(10, 1, g) * 1e-6; // rank one: a single training row reaches these weights
        var dense = zeros(200, 200, dtype: ScalarType.Float64);
        dense.index_put_(block, active.unsqueeze(1), active.unsqueeze(0));
        using var h = new DenseCurvature(dense);
        var prior = full(200, 0.1, dtype: ScalarType.Float64); // constant: the spectral route
        var s = tensor(1.0);
        var (_, expected) = linalg.slogdet(dense + 0.1 * eye(200, dtype: ScalarType.Float64));
        AssertRelative(expected.item<double>(), h.LogDeterminant(prior, s).item<double>(), 1e-10);
        var variances = h.MarginalVariances(prior, s);
        var exact = linalg.inv(dense + 0.1 * eye(200, dtype: ScalarType.Float64)).diagonal();
        Assert.True(variances.allclose(exact, rtol: 1e-10, atol: 0), "marginal variances differ from the inverse's diagonal");
    }

    [Fact]
    public void SpectralAndCholeskyRoutes_GiveTheSameAnswers()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        using var h = new DenseCurvature(RandomPsd(7, 4, g)); // rank 4 of 7
        var s = tensor(2.5);
        var constant = full(7, 0.3, dtype: ScalarType.Float64); // spectral route
        var tracked = full(7, 0.3, dtype: ScalarType.Float64).requires_grad_(); // per-weight gradient wanted: Cholesky route
        var j = randn(new long[] { 3, 2, 7 }, ScalarType.Float64, generator: g);
        AssertRelative(h.LogDeterminant(tracked, s).item<double>(), h.LogDeterminant(constant, s).item<double>(), 1e-10);
        AssertClose(h.InverseQuadraticForm(j, tracked, s), h.InverseQuadraticForm(j, constant, s), 1e-10);
        AssertClose(h.MarginalVariances(tracked, s), h.MarginalVariances(constant, s), 1e-10);
    }

    [Fact]
    public void LogDeterminant_EqualVectorPriorPrecisionRequiringGrad_GivesPerWeightGradient()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(8);
        using var h = new DenseCurvature(RandomPsd(5, 6, g));
        var delta = full(5, 0.6, dtype: ScalarType.Float64).requires_grad_();
        var s = tensor(1.3);
        var grad = autograd.grad([h.LogDeterminant(delta, s)], [delta])[0];
        var expected = linalg.inv(1.3 * h.ToDense() + 0.6 * eye(5, dtype: ScalarType.Float64)).diagonal(); // ∂/∂δᵢ = (Π⁻¹)ᵢᵢ
        AssertClose(expected, grad, 1e-9);
    }

    [Fact]
    public void ToDense_ReturnsSymmetrisedCopy()
    {
        using var scope = NewDisposeScope();
        var m = tensor(new double[] { 2, 1, 0, 3 }).view(2, 2).to_type(ScalarType.Float32);
        using var h = new DenseCurvature(m);
        m.fill_(0);
        AssertClose(tensor(new double[] { 2, 0.5, 0.5, 3 }).view(2, 2), h.ToDense(), 1e-15);
        Assert.Equal(ScalarType.Float64, h.ToDense().dtype);
    }

    [Fact]
    public void Constructor_RejectsNonSquareOrNonFiniteMatrix()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => new DenseCurvature(ones(2, 3)));
        Assert.Contains("[n, n]", e.Message);
        Assert.Throws<ArgumentException>(() => new DenseCurvature(ones(3)));
        Assert.Throws<ArgumentException>(() => new DenseCurvature(full(2, 2, double.NaN)));
    }

    [Fact]
    public void Dispose_IsIdempotent_AndLaterCallsThrow()
    {
        using var scope = NewDisposeScope();
        var h = new DenseCurvature(eye(3));
        h.Dispose();
        h.Dispose();
        Assert.Throws<ObjectDisposedException>(() => h.ToDense());
        Assert.Throws<ObjectDisposedException>(() => h.LogDeterminant(tensor(1.0), tensor(1.0)));
    }
}
