using Occam.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>Stochastic Lanczos quadrature against the exact spectrum of a dense matrix (float64).</summary>
public sealed class SpectralDensityTests
{
    [Fact]
    public void SmoothedDensity_MatchesTheExactSpectrumsSmoothedDensity()
    {
        using var scope = NewDisposeScope();
        var rng = new Random(3);
        // two bulks and three outliers
        var spectrum = Enumerable.Range(0, 400).Select(i => i < 3 ? 40.0 + 10 * i : i < 250 ? 1 + 0.5 * rng.NextDouble() : 6 + 2 * rng.NextDouble()).ToArray();
        var op = CurvatureOperator.FromMatrix(TestMatrices.WithSpectrum(spectrum, 3));
        using var generator = new Generator(7);
        var density = StochasticLanczosQuadrature.Estimate(op, probes: 20, steps: 40, generator: generator);
        var grid = Enumerable.Range(0, 600).Select(i => -2 + 64.0 * i / 599).ToArray();
        double width = 0.5;
        var estimate = density.Smoothed(grid, width);
        var exact = new SpectralDensity(400, [spectrum], [Enumerable.Repeat(1.0 / 400, 400).ToArray()]).Smoothed(grid, width);
        double step = grid[1] - grid[0];
        double l1 = estimate.Zip(exact, (e, x) => Math.Abs(e - x)).Sum() * step;
        Assert.True(l1 < 0.1, $"L1 distance between the smoothed densities {l1:F3}");
        Assert.True(Math.Abs(estimate.Sum() * step - 1) < 1e-3, "the smoothed density integrates to 1");
        Assert.All(density.Weights, w => Assert.True(Math.Abs(w.Sum() - 1) < 1e-12));
        // moments of the spectral measure: Monte Carlo estimates of tr(A^k)/P
        for (int k = 1; k <= 2; k++)
        {
            double exactMoment = spectrum.Average(l => Math.Pow(l, k));
            double estimated = density.Expectation(l => Math.Pow(l, k));
            Assert.True(Math.Abs(estimated - exactMoment) < 0.05 * exactMoment, $"moment {k}: {estimated:G5} against {exactMoment:G5}");
        }
    }

    [Fact]
    public void OneProbeOfFullLength_HasTheExactEigenvaluesAsNodes()
    {
        using var scope = NewDisposeScope();
        double[] spectrum = [0.1, 0.7, 1.3, 2.0, 4.5, 9.0];
        var op = CurvatureOperator.FromMatrix(TestMatrices.WithSpectrum(spectrum, 9));
        using var generator = new Generator(4);
        var density = StochasticLanczosQuadrature.Estimate(op, probes: 1, steps: 6, generator: generator);
        Assert.Equal(6, density.Nodes[0].Length);
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(density.Nodes[0][i] - spectrum[i]) < 1e-9, $"node {i}: {density.Nodes[0][i]}");
    }

    [Fact]
    public void BadRequests_AreRefused()
    {
        var op = CurvatureOperator.FromMatrix(eye(4, dtype: ScalarType.Float64));
        Assert.Throws<ArgumentException>(() => StochasticLanczosQuadrature.Estimate(op, probes: 0));
        Assert.Throws<ArgumentException>(() => StochasticLanczosQuadrature.Estimate(op, steps: 5));
        var density = StochasticLanczosQuadrature.Estimate(op, probes: 1, steps: 2);
        Assert.Throws<ArgumentException>(() => density.Smoothed([0.0], 0));
    }
}
