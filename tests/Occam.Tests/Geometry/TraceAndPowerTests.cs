using Occam.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>Hutchinson's trace against the exact trace within Monte Carlo error; power iteration against eigh (float64).</summary>
public sealed class TraceAndPowerTests
{
    [Fact]
    public void Hutchinson_IsWithinItsMonteCarloError_AndItsErrorIsTheTheoreticalOne()
    {
        using var scope = NewDisposeScope();
        var spectrum = TestMatrices.OutliersAndBulk(200, 5, 21);
        var a = TestMatrices.WithSpectrum(spectrum, 21);
        double exact = spectrum.Sum();
        const int samples = 400;
        // Var(zᵀAz) = 2 Σ_{i≠j} A²ᵢⱼ for Rademacher z
        double offDiagonal = (a.square().sum() - a.diagonal().square().sum()).item<double>();
        double theoreticalSe = Math.Sqrt(2 * offDiagonal / samples);
        using var generator = new Generator(8);
        var estimate = HutchinsonTrace.Estimate(CurvatureOperator.FromMatrix(a), samples, generator);
        Assert.True(Math.Abs(estimate.Value - exact) < 3 * theoreticalSe, $"estimate {estimate.Value:F2} ± {estimate.StandardError:F2}, exact {exact:F2}");
        Assert.InRange(estimate.StandardError / theoreticalSe, 0.8, 1.2);
        Assert.Throws<ArgumentException>(() => HutchinsonTrace.Estimate(CurvatureOperator.FromMatrix(a), 1));
    }

    [Fact]
    public void Hutchinson_OfADiagonalMatrix_IsExact()
    {
        var op = CurvatureOperator.FromMatrix(diag(tensor(new double[] { 1, 2, 3, 4 })));
        var estimate = HutchinsonTrace.Estimate(op, 5);
        Assert.Equal(10, estimate.Value, 12);
        Assert.Equal(0, estimate.StandardError, 12);
    }

    [Fact]
    public void PowerIteration_FindsTheDominantEigenpair()
    {
        using var scope = NewDisposeScope();
        double[] spectrum = [-1, 0.5, 2, 3, 10];
        var a = TestMatrices.WithSpectrum(spectrum, 2);
        using var generator = new Generator(3);
        using var top = PowerIteration.Run(CurvatureOperator.FromMatrix(a), 500, 1e-12, generator);
        Assert.True(top.Converged);
        Assert.Equal(10, top.Value, 8);
        var residual = (a.matmul(top.Vector) - top.Value * top.Vector).norm().item<double>();
        Assert.True(residual < 1e-4, $"‖Av − λv‖ = {residual:g3}");
        Assert.Throws<ArgumentException>(() => PowerIteration.Run(CurvatureOperator.FromMatrix(a), 0));
    }
}
