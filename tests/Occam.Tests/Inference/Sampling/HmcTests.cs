using Occam.Inference.Sampling;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Sampling;

/// <summary>HMC on densities with known moments: a correlated 2-D Gaussian and a banana, plus its bookkeeping.</summary>
public sealed class HmcTests(ITestOutputHelper output)
{
    private const int Chains = 4;

    private static Tensor Start(long seed) => randn(new long[] { Chains, 2 }, generator: new TorchSharp.torch.Generator((ulong)seed)) * 3;

    [Theory]
    [InlineData(MassMatrix.Diagonal)]
    [InlineData(MassMatrix.Identity)]
    public void CorrelatedGaussian_MomentsMatch(MassMatrix mass)
    {
        // mean (1, −2), sd (1, 3), correlation 0.9
        double r = 0.9, s1 = 1, s2 = 3;
        double det = s1 * s1 * s2 * s2 * (1 - r * r);
        Tensor LogDensity(Tensor z)
        {
            var a = z[.., 0] - 1;
            var b = z[.., 1] + 2;
            return -0.5 * (s2 * s2 * a * a - 2 * r * s1 * s2 * a * b + s1 * s1 * b * b) / det;
        }
        using var thread = new SingleThread();
        using var potential = new DensityPotential(LogDensity, Start(1));
        var (draws, state) = potential.Sample(new HmcSettings(WarmUp: 300, TrajectoryLength: 3, MaxLeapfrogSteps: 100, Mass: mass), 1000, seed: 2);
        using (state)
        {
            var check = new MomentCheck(Chains);
            check.Mean("mean x", draws[0], 1);
            check.Mean("mean y", draws[1], -2);
            check.Variance("var x", draws[0], s1 * s1);
            check.Variance("var y", draws[1], s2 * s2);
            check.Correlation("corr", draws[0], draws[1], r);
            output.WriteLine(string.Join("; ", check.Details));
            output.WriteLine($"acceptance {state.AcceptanceRate:F3}, step {state.StepSize.Average():G3}, divergences {state.Divergences}");
            Assert.Null(check.Failure);
            Assert.InRange(state.AcceptanceRate, 0.6, 0.98);
            Assert.Equal(0, state.Divergences);
        }
    }

    [Fact]
    public void Banana_MomentsMatch()
    {
        // x ~ N(0, 1), y | x ~ N(a(x² − 1), s²): E y = 0, Var y = 2a² + s², E[x²y] = 2a, corr(x, y) = 0
        double a = 1, s = 0.5;
        Tensor LogDensity(Tensor z)
        {
            var x = z[.., 0];
            var y = z[.., 1];
            var d = (y - a * (x * x - 1)) / s;
            return -0.5 * x * x - 0.5 * d * d;
        }
        using var thread = new SingleThread();
        using var potential = new DensityPotential(LogDensity, Start(3) / 3);
        var (draws, state) = potential.Sample(new HmcSettings(WarmUp: 300, TrajectoryLength: 2, MaxLeapfrogSteps: 100), 1500, seed: 4);
        using (state)
        {
            var check = new MomentCheck(Chains);
            check.Mean("mean x", draws[0], 0);
            check.Mean("mean y", draws[1], 0);
            check.Variance("var x", draws[0], 1);
            check.Variance("var y", draws[1], 2 * a * a + s * s);
            check.Mean("E[x²y]", draws[0].Zip(draws[1], (x, y) => x * x * y).ToArray(), 2 * a);
            check.Mean("P(y > 1)", draws[1].Select(y => y > 1 ? 1.0 : 0.0).ToArray(), BananaTail(a, s));
            output.WriteLine(string.Join("; ", check.Details));
            output.WriteLine($"acceptance {state.AcceptanceRate:F3}, step {state.StepSize.Average():G3}, divergences {state.Divergences}");
            Assert.Null(check.Failure);
        }
    }

    [Fact]
    public void TooLargeSteps_DivergeAndAreRejected()
    {
        Tensor LogDensity(Tensor z) => -0.5 * (z / 0.01).square().sum(1);
        using var thread = new SingleThread();
        using var potential = new DensityPotential(LogDensity, zeros(Chains, 2));
        var (draws, state) = potential.Sample(new HmcSettings(WarmUp: 0, StepSize: 5, TrajectoryLength: 50, MaxLeapfrogSteps: 10, Mass: MassMatrix.Identity), 20, seed: 1);
        using (state)
        {
            Assert.Equal(Chains * 20, state.Divergences);
            Assert.Equal(0, state.AcceptanceRate);
            Assert.All(draws.SelectMany(d => d), v => Assert.Equal(0, v)); // every proposal rejected: the chains stay put
        }
    }

    /// <summary>P(y &gt; 1) for the banana by quadrature over x: ∫ φ(x) (1 − Φ((1 − a(x² − 1))/s)) dx.</summary>
    private static double BananaTail(double a, double s)
    {
        double total = 0, h = 1e-3;
        for (double x = -10; x <= 10; x += h)
            total += Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI) * 0.5 * Erfc((1 - a * (x * x - 1)) / s / Math.Sqrt(2)) * h;
        return total;
    }

    private static double Erfc(double x)
    {
        // Numerical Recipes' erfc with relative error below 1.2e-7
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
