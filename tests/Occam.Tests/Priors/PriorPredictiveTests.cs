using Occam.GaussianProcesses.Kernels;
using Occam.Models;
using Occam.Priors;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.Priors;

/// <summary>
/// Prior predictive draws against the NNGP kernel (one hidden ReLU layer: the covariance over the prior is
/// exactly the arc-cosine kernel at any width, so only Monte Carlo error separates them), and the shapes
/// of ReLU and tanh priors far from the origin.
/// </summary>
public sealed class PriorPredictiveTests(ITestOutputHelper output)
{
    private const double WeightSd = 1.2, BiasSd = 0.5;
    private static readonly double[] Inputs = [-2.0, -0.5, 1.0, 2.5];

    /// <summary>Largest |Ĉ − K| in Monte Carlo standard errors (each entry's error from the sd of its centred products).</summary>
    private double WorstError(PriorPredictiveDraws draws, double weightVariance)
    {
        using var kernel = new NngpKernel(1, NetworkActivation.Relu, weightVariance, BiasSd * BiasSd);
        using var x = tensor(Inputs, ScalarType.Float64).view(-1, 1);
        using var k = kernel.Matrix(x, x);
        double worst = 0;
        for (int i = 0; i < Inputs.Length; i++)
            for (int j = 0; j <= i; j++)
            {
                var products = Enumerable.Range(0, draws.Samples).Select(s => (draws.Draws[s, i] - draws.Mean[i]) * (draws.Draws[s, j] - draws.Mean[j])).ToArray();
                double mean = products.Average();
                double se = Math.Sqrt(products.Sum(p => (p - mean) * (p - mean)) / (products.Length - 1) / products.Length);
                double exact = k[i, j].item<double>();
                double z = Math.Abs(draws.Covariance[i, j] - exact) / se;
                output.WriteLine($"σ_w² {weightVariance:G3} [{i},{j}]: MC {draws.Covariance[i, j]:F4} vs NNGP {exact:F4} ({z:F1} se)");
                worst = Math.Max(worst, z);
            }
        return worst;
    }

    [Fact]
    public void WideReluLayer_CovarianceMatchesArcCosineNngp_AndAWrongScaleDoesNot()
    {
        var draws = PriorPredictive.Sample(new PriorNetwork([2048], Activation.ReLU, WeightSd, BiasSd), Inputs, 6000, seed: 5);
        Assert.True(WorstError(draws, WeightSd * WeightSd) < 4.5);
        Assert.True(WorstError(draws, 1.3 * WeightSd * WeightSd) > 6);
    }

    [Fact]
    public void FarFromTheOrigin_ReluGrowsLinearly_TanhSaturates_AndAcrossTheOriginReluStaysMoreCorrelated()
    {
        var grid = PriorPredictive.Grid(-3, 3, 7);                                   // −3, −2, …, 3
        PriorPredictiveDraws Draw(Activation a, double biasSd) => PriorPredictive.Sample(new PriorNetwork([500], a, 1.0, biasSd), grid, 3000, seed: 2);
        double Growth(PriorPredictiveDraws d) => d.StandardDeviation[6] / d.StandardDeviation[4];  // sd f(3) / sd f(1)
        var relu = Draw(Activation.ReLU, 1.0);
        var tanh = Draw(Activation.Tanh, 1.0);
        output.WriteLine($"σ_b = 1: sd growth 1→3 relu {Growth(relu):F3}, tanh {Growth(tanh):F3}; corr f(2), f(3) relu {relu.Correlation(5, 6):F3}, tanh {tanh.Correlation(5, 6):F3}");
        Assert.True(Growth(relu) > 1.5);                                             // NNGP: √(6/2) ≈ 1.73
        Assert.True(Growth(tanh) < 1.3);
        // Without biases tanh networks are odd (f(−x) = −f(x)): correlation −1 across the origin; ReLU units
        // active at 3 are inactive at −3, so the NNGP correlation is 0.
        var reluNoBias = Draw(Activation.ReLU, 0.0);
        var tanhNoBias = Draw(Activation.Tanh, 0.0);
        output.WriteLine($"σ_b = 0: corr f(−3), f(3) relu {reluNoBias.Correlation(0, 6):F3}, tanh {tanhNoBias.Correlation(0, 6):F3}; sd growth relu {Growth(reluNoBias):F3}");
        Assert.Equal(-1.0, tanhNoBias.Correlation(0, 6), 6);
        Assert.InRange(reluNoBias.Correlation(0, 6), -0.1, 0.1);
        Assert.Equal(3.0, Growth(reluNoBias), 6);                                   // positively homogeneous: f(3) = 3 f(1)
    }

    [Fact]
    public void Draws_AreSeeded_AndBandsBracketTheMean()
    {
        var spec = new PriorNetwork([20, 20], Activation.Tanh);
        var grid = PriorPredictive.Grid(-1, 1, 11);
        var a = PriorPredictive.Sample(spec, grid, 50, seed: 3);
        var b = PriorPredictive.Sample(spec, grid, 50, seed: 3);
        Assert.Equal(a.Draws, b.Draws);
        Assert.Equal(new[] { 50, 11 }, new[] { a.Draws.GetLength(0), a.Draws.GetLength(1) });
        for (int g = 0; g < grid.Length; g++) Assert.InRange(a.Mean[g], a.Lower[g], a.Upper[g]);
        Assert.Equal(1.0, a.Correlation(4, 4), 12);
        Assert.Throws<ArgumentException>(() => PriorPredictive.Sample(spec with { Hidden = [] }, grid, 50));
        Assert.Throws<ArgumentException>(() => PriorPredictive.Sample(spec, grid, 1));
    }
}
