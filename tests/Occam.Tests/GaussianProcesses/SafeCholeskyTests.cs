using Occam.GaussianProcesses;
using static Occam.Tests.GaussianProcesses.GpTestData;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

public sealed class SafeCholeskyTests
{
    [Fact]
    public void PositiveDefiniteMatrixFactorsWithoutJitter()
    {
        using var scope = NewDisposeScope();
        var b = Inputs(6, 6, seed: 1);
        var a = b.mm(b.T) + eye(6, dtype: ScalarType.Float64);
        using var factor = SafeCholesky.Factor(a);
        Assert.Equal(0.0, factor.Jitter);
        Assert.Equal(1, factor.Attempts);
        Assert.True(MaxAbsDiff(ToMatrix(factor.Lower.mm(factor.Lower.T)), ToMatrix(a)) < 1e-12);
    }

    [Fact]
    public void SingularMatrixSucceedsAndReportsTheJitterUsed()
    {
        using var scope = NewDisposeScope();
        var b = Inputs(8, 2, seed: 2);
        var a = b.mm(b.T);                                  // rank 2, 8×8: singular
        using var factor = SafeCholesky.Factor(a);
        double meanDiagonal = a.diagonal().mean().item<double>();
        Assert.True(factor.Jitter > 0);
        Assert.True(factor.Jitter <= 1e-4 * meanDiagonal * (1 + 1e-9));
        var expected = a + factor.Jitter * eye(8, dtype: ScalarType.Float64);
        Assert.True(MaxAbsDiff(ToMatrix(factor.Lower.mm(factor.Lower.T)), ToMatrix(expected)) < 1e-10 * meanDiagonal);
    }

    [Fact]
    public void MatrixWithLargeNegativeEigenvalueFailsNamingTheLargestJitter()
    {
        using var scope = NewDisposeScope();
        var a = diag(tensor(new[] { 2.0, 1.0, -1.0, 2.0 }));   // mean diagonal 1: jitter tried up to 1e-4
        var error = Assert.Throws<CholeskyException>(() => SafeCholesky.Factor(a));
        Assert.Equal(1e-4, error.LargestJitter, 12);
        Assert.Contains("jitter 0.0001", error.Message);
        Assert.Contains("4×4", error.Message);
    }

    [Fact]
    public void CustomScheduleCapsTheJitter()
    {
        using var scope = NewDisposeScope();
        var a = diag(tensor(new[] { 1.0, -0.5 }));
        var error = Assert.Throws<CholeskyException>(() => SafeCholesky.Factor(a, new JitterSchedule { InitialRelative = 1e-6, Growth = 2, MaxRelative = 1e-3 }));
        Assert.True(error.LargestJitter <= 1e-3 * 0.25 && error.LargestJitter > 0.5e-3 * 0.25);
    }

    [Fact]
    public void NonFiniteMatrixFailsClearly()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { 1, double.NaN }, { double.NaN, 1 } });
        var error = Assert.Throws<CholeskyException>(() => SafeCholesky.Factor(a));
        Assert.Contains("NaN", error.Message);
    }

    [Theory]
    [InlineData(0.0, 10.0, 1e-4, "InitialRelative")]
    [InlineData(1e-8, 1.0, 1e-4, "Growth")]
    [InlineData(1e-3, 10.0, 1e-4, "MaxRelative")]
    public void BadJitterScheduleNamesTheOption(double initial, double growth, double max, string option)
    {
        var schedule = new JitterSchedule { InitialRelative = initial, Growth = growth, MaxRelative = max };
        var error = Assert.Throws<ArgumentException>(() => schedule.Validate());
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void Float32AndNonSquareMatricesAreRefusedBeforeLibtorch()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("float64", Assert.Throws<ArgumentException>(() => SafeCholesky.Factor(eye(3))).Message);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => SafeCholesky.Factor(zeros(2, 3, dtype: ScalarType.Float64))).Message);
    }
}
