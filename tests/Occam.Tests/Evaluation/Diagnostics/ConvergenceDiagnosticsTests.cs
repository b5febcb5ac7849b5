using Occam.Evaluation.Diagnostics;

namespace Occam.Tests.Evaluation.Diagnostics;

/// <summary>R̂ and ESS on chains whose answers are known: independent draws, AR(1) processes, shifted and rescaled chains.</summary>
public sealed class ConvergenceDiagnosticsTests
{
    /// <summary>K chains of x_t = ρ x_{t−1} + √(1 − ρ²) ε_t, started from the stationary N(0, 1), with chain k shifted by shift·k and scaled by 1 + scale·k.</summary>
    private static double[][] Ar1(int chains, int n, double rho, int seed, double shift = 0, double scale = 0)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, chains).Select(k =>
        {
            var x = new double[n];
            double v = Normal();
            for (int t = 0; t < n; t++)
            {
                v = rho * v + Math.Sqrt(1 - rho * rho) * Normal();
                x[t] = shift * k + (1 + scale * k) * v;
            }
            return x;
        }).ToArray();
    }

    /// <summary>The ESS of an AR(1) chain: S (1 − ρ)/(1 + ρ).</summary>
    private static double Ar1Ess(int total, double rho) => total * (1 - rho) / (1 + rho);

    [Theory]
    [InlineData(0.0, 0.06)]
    [InlineData(0.5, 0.08)]
    [InlineData(0.9, 0.15)]
    public void Ar1_BulkEssMatchesTheory_AndRhatIsOne(double rho, double tolerance)
    {
        var chains = Ar1(4, 5000, rho, seed: 11);
        double expected = Ar1Ess(20000, rho);
        Assert.InRange(ConvergenceDiagnostics.BulkEss(chains) / expected, 1 - tolerance, 1 + tolerance);
        Assert.InRange(ConvergenceDiagnostics.Ess(chains) / expected, 1 - tolerance, 1 + tolerance);
        Assert.InRange(ConvergenceDiagnostics.Rhat(chains), 0.99, 1.01);
    }

    [Fact]
    public void AntitheticChains_HaveMoreEssThanDraws()
    {
        var chains = Ar1(4, 5000, -0.5, seed: 3);
        double ess = ConvergenceDiagnostics.Ess(chains);
        Assert.InRange(ess / Ar1Ess(20000, -0.5), 0.85, 1.15); // 3 × 20000
        Assert.True(ess <= 20000 * Math.Log10(20000));
    }

    [Fact]
    public void TailEss_OfIndependentDraws_IsAboutTheirNumber_AndSmallerForSlowChains()
    {
        Assert.InRange(ConvergenceDiagnostics.TailEss(Ar1(4, 5000, 0, seed: 5)) / 20000, 0.9, 1.1);
        Assert.True(ConvergenceDiagnostics.TailEss(Ar1(4, 5000, 0.9, seed: 5)) < 3000);
    }

    [Fact]
    public void ShiftedChains_HaveLargeRhat()
    {
        var chains = Ar1(4, 1000, 0.5, seed: 7, shift: 1.0);
        Assert.True(ConvergenceDiagnostics.Rhat(chains) > 1.3);
        Assert.True(ConvergenceDiagnostics.SplitRhat(chains) > 1.3);
    }

    [Fact]
    public void ChainsOfDifferentScale_AreCaughtByTheFoldedRhat_NotByTheClassicOne()
    {
        var chains = Ar1(4, 2000, 0.3, seed: 9, scale: 1.0); // sd 1, 2, 3, 4 around the same mean
        Assert.True(ConvergenceDiagnostics.SplitRhat(chains) < 1.05);
        Assert.True(ConvergenceDiagnostics.Rhat(chains) > 1.1);
    }

    [Fact]
    public void TrendWithinAChain_IsCaughtBySplitting()
    {
        var trend = Enumerable.Range(0, 1000).Select(t => t / 100.0).ToArray();
        Assert.True(ConvergenceDiagnostics.Rhat([trend]) > 1.5); // one chain: its two halves disagree
    }

    [Fact]
    public void BadInput_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => ConvergenceDiagnostics.Rhat([]));
        Assert.Throws<ArgumentException>(() => ConvergenceDiagnostics.Rhat([[1.0, 2, 3, 4], [1.0, 2, 3]]));
        Assert.Throws<ArgumentException>(() => ConvergenceDiagnostics.BulkEss([[1.0, 2, 3]]));
    }

    [Fact]
    public void ConstantChains_AgreeOrNot()
    {
        Assert.Equal(1.0, ConvergenceDiagnostics.SplitRhat([[2.0, 2, 2, 2], [2.0, 2, 2, 2]]));
        Assert.True(double.IsPositiveInfinity(ConvergenceDiagnostics.SplitRhat([[1.0, 1, 1, 1], [2.0, 2, 2, 2]])));
        Assert.True(double.IsNaN(ConvergenceDiagnostics.Ess([[2.0, 2, 2, 2]])));
        // Halves of six draws of 0.1 or 0.7 average to 0.09999999999999999 and 0.7000000000000001: still no spread.
        double[] stuckLow = Enumerable.Repeat(0.1, 12).ToArray(), stuckHigh = Enumerable.Repeat(0.7, 12).ToArray();
        Assert.Equal(1.0, ConvergenceDiagnostics.SplitRhat([stuckLow, stuckLow]));
        Assert.True(double.IsPositiveInfinity(ConvergenceDiagnostics.SplitRhat([stuckLow, stuckHigh])));
        Assert.True(double.IsPositiveInfinity(ConvergenceDiagnostics.Rhat([stuckLow, stuckHigh])));
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963985)]
    [InlineData(0.025, -1.959963985)]
    [InlineData(0.001, -3.090232306)]
    [InlineData(1e-5, -4.264890794)]
    [InlineData(0.8, 0.841621234)]
    public void NormalQuantile_MatchesTables(double p, double z)
    {
        Assert.Equal(z, NormalQuantile.Of(p), 7);
    }
}
