using Occam.Core;
using Occam.Models;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Priors;

/// <summary>
/// The spike-and-slab prior's density, gradient and draws: against the mixture written out by hand in
/// double arithmetic, against autograd and against central finite differences, for one network and for K
/// members stacked in one MLP.
/// </summary>
public sealed class SpikeAndSlabPriorTests
{
    private const int D = 3, H = 4;
    private static readonly double[] Rho = [0.2, 0.5, 0.9];
    private const double Slab = 1.3, Spike = 0.1, RestPrecision = 2.0;

    private static SpikeAndSlabPrior Prior() => new(new MlpLayout(D, [H]), Rho, Slab, Spike, new InformativeGaussianPrior(RestPrecision));

    private static double LogNormal(double x, double sd) => -0.5 * Math.Log(2 * Math.PI * sd * sd) - x * x / (2 * sd * sd);

    /// <summary>log p(θ) summed term by term: for each feature log(ρ Π N(w; 0, σ₁²) + (1 − ρ) Π N(w; 0, σ₀²)), then N(0, 1/λ) on the rest.</summary>
    private static double DirectLogDensity(double[] theta)
    {
        double total = 0;
        for (int j = 0; j < D; j++)
        {
            double slab = 1, spike = 1;
            for (int k = 0; k < H; k++)
            {
                slab *= Math.Exp(LogNormal(theta[j * H + k], Slab));
                spike *= Math.Exp(LogNormal(theta[j * H + k], Spike));
            }
            total += Math.Log(Rho[j] * slab + (1 - Rho[j]) * spike);
        }
        for (int i = D * H; i < theta.Length; i++) total += LogNormal(theta[i], 1 / Math.Sqrt(RestPrecision));
        return total;
    }

    private static double[] Theta(int seed)
    {
        // One feature near the spike, one in between, one in the slab, so every responsibility regime is exercised.
        var g = new Generator((ulong)seed);
        long p = D * H + H + H + 1;
        var theta = randn(new long[] { p }, ScalarType.Float64, generator: g);
        double[] scale = [0.08, 0.3, 1.5];
        for (int j = 0; j < D; j++) theta.narrow(0, j * H, H).mul_(scale[j]);
        return theta.data<double>().ToArray();
    }

    [Fact]
    public void LogDensity_EqualsTheMixtureWrittenOut()
    {
        var theta = Theta(1);
        using var t = tensor(theta);
        using var logp = Prior().LogDensity(t);
        Assert.Equal(ScalarType.Float64, logp.dtype);
        Assert.Equal(DirectLogDensity(theta), logp.item<double>(), 10);
    }

    [Fact]
    public void LogDensityGradient_MatchesCentralFiniteDifferences()
    {
        var theta = Theta(2);
        using var t = tensor(theta).requires_grad_();
        using var logp = Prior().LogDensity(t);
        logp.backward();
        var auto = t.grad!.data<double>().ToArray();
        const double step = 1e-6;
        for (int i = 0; i < theta.Length; i++)
        {
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[i] += step;
            down[i] -= step;
            double fd = (DirectLogDensity(up) - DirectLogDensity(down)) / (2 * step);
            Assert.True(Math.Abs(fd - auto[i]) < 1e-5 * Math.Max(1, Math.Abs(fd)), $"entry {i}: autograd {auto[i]:G8}, finite difference {fd:G8}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FastGradient_EqualsMinusAutogradPerMember(int members)
    {
        using var net = new Mlp(D, [H], 1, members: members, seed: 4, initScale: 3);
        var space = WeightSpace.Of(net);
        var prior = Prior();
        foreach (var p in space.Parameters) p.grad = zeros_like(p);
        prior.AddNegativeLogDensityGradient(space, 0.25);
        using var fast = net.Weights.grad!.clone();
        using var rows = net.Weights.detach().to_type(ScalarType.Float64);
        for (int k = 0; k < members; k++)
        {
            using var theta = rows[k].clone().requires_grad_();
            using var logp = prior.LogDensity(theta);
            logp.backward();
            using var expected = (-0.25 * theta.grad!).to_type(ScalarType.Float32);
            Assert.True(fast[k].allclose(expected, 1e-5, 1e-6), $"member {k}: the fast gradient differs from autograd");
        }
    }

    [Fact]
    public void ConditionalInclusion_IsTheSlabShareOfTheMixture()
    {
        var theta = Theta(5);
        using var t = tensor(theta).unsqueeze(0);
        using var r = Prior().ConditionalInclusion(t);
        for (int j = 0; j < D; j++)
        {
            double slab = 0, spike = 0;
            for (int k = 0; k < H; k++) { slab += LogNormal(theta[j * H + k], Slab); spike += LogNormal(theta[j * H + k], Spike); }
            double expected = Rho[j] * Math.Exp(slab) / (Rho[j] * Math.Exp(slab) + (1 - Rho[j]) * Math.Exp(spike));
            Assert.Equal(expected, r[0, j].item<double>(), 10);
        }
    }

    [Fact]
    public void Draws_HaveTheMixtureMoments()
    {
        // E‖wⱼ‖²/H = ρσ₁² + (1 − ρ)σ₀² per feature; the rest has variance 1/λ.
        const int count = 20000;
        using var draws = Prior().Sample(count, D * H + 2 * H + 1, new Generator(6)).to_type(ScalarType.Float64);
        for (int j = 0; j < D; j++)
        {
            using var sq = draws.narrow(1, j * H, H).square().mean(new long[] { 1 });
            double expected = Rho[j] * Slab * Slab + (1 - Rho[j]) * Spike * Spike;
            double se = Math.Sqrt(sq.var().item<double>() / count);
            Assert.True(Math.Abs(sq.mean().item<double>() - expected) < 4 * se, $"feature {j}: {sq.mean().item<double>():G4} vs {expected:G4} (se {se:G2})");
        }
        using var rest = draws.narrow(1, D * H, 2 * H + 1);
        Assert.Equal(1 / RestPrecision, rest.var().item<double>(), 2);
    }

    [Fact]
    public void BadArguments_AreRefusedByName()
    {
        var layout = new MlpLayout(D, [H]);
        Assert.Equal("inclusion", Assert.Throws<ArgumentException>(() => new SpikeAndSlabPrior(layout, [0.5, 0.5])).ParamName);
        Assert.Equal("inclusion", Assert.Throws<ArgumentException>(() => new SpikeAndSlabPrior(layout, [1.0])).ParamName);
        Assert.Equal("slabSd", Assert.Throws<ArgumentException>(() => new SpikeAndSlabPrior(layout, [0.5], slabSd: 0.01, spikeSd: 0.05)).ParamName);
        Assert.Equal("spikeSd", Assert.Throws<ArgumentException>(() => new SpikeAndSlabPrior(layout, [0.5], spikeSd: 0)).ParamName);
        using var wrong = zeros(7, ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => new SpikeAndSlabPrior(layout, [0.5]).LogDensity(wrong));
        var overlapping = new SpikeAndSlabPrior(layout, [0.5], rest: new InformativeGaussianPrior(1, layout, [new GaussianOverride("w1", 0, 1)]));
        using var theta = zeros(D * H + 2 * H + 1, ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => overlapping.LogDensity(theta));
    }
}
