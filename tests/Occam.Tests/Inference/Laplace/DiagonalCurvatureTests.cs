using Occam.Inference.Laplace;
using static Occam.Tests.Inference.Laplace.CurvatureTestCases;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class DiagonalCurvatureTests
{
    [Fact]
    public void LogDeterminant_IsSumOfLogs_HandComputed()
    {
        using var scope = NewDisposeScope();
        using var h = new DiagonalCurvature(tensor(new double[] { 1, 3 }));
        // Π = diag(2·1 + 0.5, 2·3 + 1) = diag(2.5, 7)
        var logDet = h.LogDeterminant(tensor(new double[] { 0.5, 1 }), tensor(2.0)).item<double>();
        Assert.Equal(Math.Log(2.5 * 7), logDet, 12);
    }

    [Fact]
    public void ToDense_IsDiagonalMatrix_WithNegativeRoundOffClampedToZero()
    {
        using var scope = NewDisposeScope();
        using var h = new DiagonalCurvature(tensor(new float[] { 2, -1e-9f, 0.5f }));
        AssertClose(diag(tensor(new double[] { 2, 0, 0.5 })), h.ToDense(), 1e-7);
        using var d = h.Diagonal;
        Assert.Equal(0.0, d[1].item<double>());
    }

    [Fact]
    public void Constructor_RejectsNonVector()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => new DiagonalCurvature(ones(2, 2)));
        Assert.Contains("[P]", e.Message);
        Assert.Throws<ArgumentException>(() => new DiagonalCurvature(tensor(new double[] { 1, double.PositiveInfinity })));
    }
}
