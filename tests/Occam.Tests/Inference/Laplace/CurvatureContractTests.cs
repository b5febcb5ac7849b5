using Occam.Inference.Laplace;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.CurvatureTestCases;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

/// <summary>Every curvature structure against the dense answer computed from its own ToDense().</summary>
public sealed class CurvatureContractTests
{
    public static TheoryData<string> Cases => All();

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDeterminant_MatchesDenseSlogdet(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta();
        var (sign, expected) = linalg.slogdet(DensePrecision(c.Curvature, delta, Scale));
        Assert.Equal(1.0, sign.item<double>());
        var actual = c.Curvature.LogDeterminant(delta, tensor(Scale));
        Assert.Empty(actual.shape);
        AssertRelative(expected.item<double>(), actual.item<double>(), 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InverseQuadraticForm_MatchesDenseInverse(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        var delta = c.Delta();
        var j = randn(new long[] { 4, 3, c.Size }, ScalarType.Float64, generator: g);
        var inverse = linalg.inv(DensePrecision(c.Curvature, delta, Scale));
        var expected = j.matmul(inverse).matmul(j.transpose(1, 2));
        var actual = c.Curvature.InverseQuadraticForm(j, delta, tensor(Scale));
        AssertClose(expected, actual, 1e-10);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MarginalVariances_MatchDiagonalOfDenseInverse(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta();
        var expected = linalg.inv(DensePrecision(c.Curvature, delta, Scale)).diagonal();
        var actual = c.Curvature.MarginalVariances(delta, tensor(Scale));
        AssertClose(expected, actual, 1e-10);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_EmpiricalCovarianceMatchesInverseWithinMonteCarloError(string name)
    {
        const int n = 40_000;
        using var c = Create(name);
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var delta = c.Delta();
        var covariance = linalg.inv(DensePrecision(c.Curvature, delta, Scale));
        var draws = c.Curvature.Sample(n, delta, tensor(Scale), g);
        Assert.Equal(new long[] { n, c.Size }, draws.shape);
        var empirical = draws.T.matmul(draws) / n; // the mean is known to be 0
        double tolerance = 5 * Math.Sqrt(2.0 / n) * covariance.abs().max().item<double>();
        AssertClose(covariance, empirical, 0, tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_SameSeedGivesSameDraws_DifferentSeedDifferent(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta();
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        using var g3 = new Generator(12);
        var a = c.Curvature.Sample(5, delta, tensor(Scale), g1);
        var b = c.Curvature.Sample(5, delta, tensor(Scale), g2);
        var d = c.Curvature.Sample(5, delta, tensor(Scale), g3);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.allclose(d));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDeterminant_GradientWrtPriorPrecision_IsTraceOfInverseOverEachGroup(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta(out var groups, requiresGrad: true);
        var logDet = c.Curvature.LogDeterminant(delta, tensor(Scale));
        var grads = autograd.grad([logDet], groups);
        // d/dδ_k log det Π = tr(Π⁻¹ · dΠ/dδ_k) = Σ over group k of diag(Π⁻¹)
        var inverseDiagonal = linalg.inv(DensePrecision(c.Curvature, c.Delta(), Scale)).diagonal().data<double>().ToArray();
        int offset = 0;
        for (int k = 0; k < groups.Length; k++)
        {
            double expected = inverseDiagonal.Skip(offset).Take(c.GroupLengths[k]).Sum();
            AssertRelative(expected, grads[k].item<double>(), 1e-9);
            offset += c.GroupLengths[k];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDeterminant_GradientWrtScale_IsTraceOfInverseTimesCurvature(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta();
        var s = tensor(Scale, ScalarType.Float64, requires_grad: true);
        var logDet = c.Curvature.LogDeterminant(delta, s);
        var grad = autograd.grad([logDet], [s])[0];
        var expected = linalg.inv(DensePrecision(c.Curvature, delta, Scale)).matmul(c.Curvature.ToDense()).trace();
        AssertRelative(expected.item<double>(), grad.item<double>(), 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScalarPriorPrecision_WhenAllowed_EqualsExpandedVector(string name)
    {
        using var c = Create(name);
        if (c.GroupValues.Length != 1) return; // only structures tested with one δ
        using var scope = NewDisposeScope();
        var scalar = tensor(c.GroupValues[0]);
        var fromScalar = c.Curvature.MarginalVariances(scalar, tensor(Scale));
        var fromVector = c.Curvature.MarginalVariances(c.Delta(), tensor(Scale));
        AssertClose(fromVector, fromScalar, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Primitives_LeaveNoLiveTensors(string name)
    {
        using var c = Create(name);
        using var delta = c.Delta();
        using var s = tensor(Scale);
        using var j = ones(2, 2, c.Size, dtype: ScalarType.Float64);
        c.Curvature.LogDeterminant(delta, s).Dispose(); // warm-up: lazily cached factorisations stay alive by design
        long before = LiveTensors.Count;
        c.Curvature.LogDeterminant(delta, s).Dispose();
        c.Curvature.InverseQuadraticForm(j, delta, s).Dispose();
        c.Curvature.Sample(3, delta, s).Dispose();
        c.Curvature.MarginalVariances(delta, s).Dispose();
        c.Curvature.ToDense().Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Arguments_WithWrongShapes_ThrowArgumentExceptionNamingTheExpectedShape(string name)
    {
        using var c = Create(name);
        using var scope = NewDisposeScope();
        var delta = c.Delta();
        var s = tensor(Scale);
        var e1 = Assert.Throws<ArgumentException>(() => c.Curvature.LogDeterminant(ones(c.Size + 1, dtype: ScalarType.Float64), s));
        Assert.Contains($"[{c.Size}]", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => c.Curvature.InverseQuadraticForm(ones(2, 3, c.Size - 1), delta, s));
        Assert.Contains($"[N, O, {c.Size}]", e2.Message);
        Assert.Throws<ArgumentException>(() => c.Curvature.InverseQuadraticForm(ones(2, c.Size), delta, s));
        Assert.Throws<ArgumentException>(() => c.Curvature.MarginalVariances(delta, ones(2)));
        Assert.Throws<ArgumentException>(() => c.Curvature.MarginalVariances(delta, tensor(-1.0)));
        Assert.Throws<ArgumentException>(() => c.Curvature.MarginalVariances(-delta, s));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Curvature.Sample(0, delta, s));
    }

    [Fact]
    public void Structures_ReportTheirNames()
    {
        var names = CurvatureTestCases.Names.Select(n => { using var c = Create(n); return c.Curvature.Structure; }).ToArray();
        Assert.Equal(new[] { "full", "full", "diag", "kron", "lowrank" }, names);
    }
}
