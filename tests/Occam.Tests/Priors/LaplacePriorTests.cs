using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors;
using Occam.Priors;
using Occam.Tests.Inference.Sampling;
using Occam.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.Priors;

/// <summary>
/// The Laplace (L1) prior: its log density against the closed form, its gradient against autograd, its
/// draws' moments, its MAP against an independent coordinate-descent lasso (and a prior with the wrong
/// sign failing that comparison), and SGLD on it against a grid-quadrature posterior.
/// </summary>
public sealed class LaplacePriorTests(ITestOutputHelper output)
{
    [Fact]
    public void LogDensity_MatchesClosedForm_AndGradientIsMinusSignOverB()
    {
        const double b = 0.7;
        double[] w = [0.3, -1.2, 0.0, 2.5, -0.01];
        double expected = w.Sum(v => -Math.Abs(v) / b - Math.Log(2 * b));
        using var theta = tensor(w).requires_grad_();
        var prior = new LaplacePrior(b);
        using var logp = prior.LogDensity(theta);
        Assert.Equal(ScalarType.Float64, logp.dtype);
        Assert.Equal(expected, logp.item<double>(), 12);
        logp.backward();
        var grad = theta.grad!.data<double>().ToArray();
        for (int i = 0; i < w.Length; i++) Assert.Equal(-Math.Sign(w[i]) / b, grad[i], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaplacePrior(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaplacePrior(double.PositiveInfinity));
    }

    [Fact]
    public void FastGradient_EqualsMinusAutogradOfLogDensity()
    {
        using var net = new Mlp(3, [4], 1, seed: 2);
        var space = WeightSpace.Of(net);
        foreach (var p in space.Parameters) p.grad = zeros_like(p);
        var prior = new LaplacePrior(0.3);
        prior.AddNegativeLogDensityGradient(space, 0.25);
        using var fast = cat(space.Parameters.Select(p => p.grad!.reshape(-1)).ToArray());
        foreach (var p in space.Parameters) p.grad = null;
        using var theta = cat(space.Parameters.Select(p => p.reshape(-1)).ToArray());
        using var logp = prior.LogDensity(theta);
        logp.backward();
        using var auto = cat(space.Parameters.Select(p => p.grad!.reshape(-1)).ToArray()).to_type(ScalarType.Float32);
        Assert.True(fast.allclose(-0.25 * auto, 1e-6, 1e-6));
    }

    [Fact]
    public void Draws_HaveLaplaceMoments()
    {
        const double b = 0.5;
        using var draws = new LaplacePrior(b).Sample(200, 1000, new Generator(3)).to_type(ScalarType.Float64);
        Assert.Equal(new long[] { 200, 1000 }, draws.shape);
        Assert.Equal(0.0, draws.mean().item<double>(), 2);                        // sd of the mean ≈ 0.0005
        Assert.Equal(b, draws.abs().mean().item<double>(), 2);                     // E|w| = b
        Assert.Equal(2 * b * b, draws.square().mean().item<double>(), 2);         // Var w = 2b²
    }

    // y = X w + 0.5 + noise with two exactly irrelevant features; σ = 0.5 and b = 0.05 on N = 100 give α = 0.05.
    private const int N = 100, D = 6;
    private const double NoiseSd = 0.5, Scale = 0.05, Tolerance = 5e-3;

    private static (Tensor X, Tensor Y) LassoData()
    {
        var g = new Generator(11);
        var x = randn(new long[] { N, D }, generator: g);
        var y = x.matmul(tensor(new float[] { 1.5f, -1f, 0f, 0f, 0.2f, 0.05f }).view(D, 1)) + 0.5f + NoiseSd * randn(new long[] { N, 1 }, generator: g);
        return (x, y);
    }

    /// <summary>Coordinate descent on (1/2N)‖y − Aβ‖² + α‖β‖₁, A = [X, 1] (every coordinate penalised, the bias too), in float64.</summary>
    private static double[] Lasso(Tensor x, Tensor y, double alpha)
    {
        var a = cat(new[] { x, ones(N, 1) }, 1).to_type(ScalarType.Float64);
        int p = (int)a.shape[1];
        var cols = Enumerable.Range(0, p).Select(j => a[.., j].contiguous().data<double>().ToArray()).ToArray();
        var r = y.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        var beta = new double[p];
        for (int sweep = 0; sweep < 100_000; sweep++)
        {
            double change = 0;
            for (int j = 0; j < p; j++)
            {
                double norm = 0, rho = 0;
                for (int i = 0; i < N; i++) { norm += cols[j][i] * cols[j][i]; rho += cols[j][i] * (r[i] + cols[j][i] * beta[j]); }
                norm /= N;
                rho /= N;
                double next = Math.Sign(rho) * Math.Max(Math.Abs(rho) - alpha, 0) / norm;
                for (int i = 0; i < N; i++) r[i] -= cols[j][i] * (next - beta[j]);
                change = Math.Max(change, Math.Abs(next - beta[j]));
                beta[j] = next;
            }
            if (change < 1e-13) break;
        }
        return beta;
    }

    private static double[] Map(IPrior prior, Tensor x, Tensor y)
    {
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression);
        using var net = new Mlp(D, [], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(NoiseSd, learnNoise: false);
        MapTraining.Train(net, likelihood, data, prior,
            new TrainerOptions { Epochs = 3000, BatchSize = N, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine }, new FitContext(Seed: 1));
        return net.Weights.detach().to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }

    private (double[] Map, double[] Lasso) Compare(IPrior prior)
    {
        var (x, y) = LassoData();
        using (x)
        using (y)
        {
            var lasso = Lasso(x, y, new LaplacePrior(Scale).LassoPenalty(NoiseSd, N));
            var map = Map(prior, x, y);
            output.WriteLine($"MAP   {string.Join(", ", map.Select(v => v.ToString("F4")))}");
            output.WriteLine($"lasso {string.Join(", ", lasso.Select(v => v.ToString("F4")))}");
            return (map, lasso);
        }
    }

    [Fact]
    public void Map_EqualsCoordinateDescentLasso()
    {
        var (map, lasso) = Compare(new LaplacePrior(Scale));
        Assert.Contains(lasso, v => v == 0);                                       // the reference has exact zeros to reach
        for (int i = 0; i < map.Length; i++) Assert.True(Math.Abs(map[i] - lasso[i]) < Tolerance, $"coordinate {i}: MAP {map[i]:G6} vs lasso {lasso[i]:G6}");
    }

    /// <summary>The Laplace prior's gradient with the sign flipped (pushing weights away from zero).</summary>
    private sealed record WrongSign(LaplacePrior Inner) : IPrior
    {
        public string Name => "wrong-sign";
        public Tensor LogDensity(Tensor theta) => Inner.LogDensity(theta);
        public void AddNegativeLogDensityGradient(WeightSpace space, double scale) => Inner.AddNegativeLogDensityGradient(space, -scale);
        public Tensor Sample(int count, long size, Generator? generator = null) => Inner.Sample(count, size, generator);
    }

    [Fact]
    public void Map_WithWrongSignGradient_MissesTheLasso()
    {
        var (map, lasso) = Compare(new WrongSign(new LaplacePrior(Scale)));
        Assert.True(map.Zip(lasso).Max(t => Math.Abs(t.First - t.Second)) > 10 * Tolerance);
    }

    [Fact]
    public void Sgld_WithLaplacePrior_MatchesGridPosterior()
    {
        // 1-D regression, θ = (w, c); posterior ∝ Π N(yᵢ | w xᵢ + c, 1) · Laplace(w; b) Laplace(c; b), evaluated on a grid.
        const int n = 20;
        const double b = 0.2;
        var g = new Generator(21);
        using var x = randn(new long[] { n, 1 }, generator: g);
        using var y = 0.4f * x + 0.1f + randn(new long[] { n, 1 }, generator: g);
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression, name: "laplace-1d");
        var (mean, variance) = GridMoments(x, y, b);
        output.WriteLine($"grid: mean {string.Join(", ", mean)}; variance {string.Join(", ", variance)}");

        var setup = new ModelSetup
        {
            Network = new MlpSpec([]), Likelihood = new GaussianLikelihood(1.0, learnNoise: false), Prior = new LaplacePrior(b),
            Training = new TrainerOptions { Epochs = 1, BatchSize = n }, Standardise = false,
        };
        var options = new SgldOptions { Chains = 16, StepSize = 0.005, Epochs = 6000, BurnIn = 500, Thin = 40, MaxSamples = 4000 };
        using var thread = new SingleThread();
        using var posterior = (WeightPosterior)new SgldMethod(setup, options).Fit(data, new FitContext(Seed: 3));
        using var thetas = ((ChainSamples)posterior.Distribution).Thetas();
        var values = thetas.to_type(ScalarType.Float64).cpu();
        var check = new MomentCheck(16);
        for (int i = 0; i < 2; i++)
        {
            var draws = values[.., i].contiguous().data<double>().ToArray();
            check.Mean($"mean[{i}]", draws, mean[i]);
            check.Variance($"var[{i}]", draws, variance[i]);
        }
        output.WriteLine(string.Join("; ", check.Details));
        Assert.Null(check.Failure);
    }

    private static (double[] Mean, double[] Variance) GridMoments(Tensor x, Tensor y, double b)
    {
        using var scope = NewDisposeScope();
        var grid = linspace(-3.0, 3.0, 1201, dtype: ScalarType.Float64);
        var w = grid.view(-1, 1, 1);
        var c = grid.view(1, -1, 1);
        var residual = y.to_type(ScalarType.Float64).view(1, 1, -1) - w * x.to_type(ScalarType.Float64).view(1, 1, -1) - c;
        var logp = -0.5 * residual.square().sum(2) - (w.abs() + c.abs()).squeeze(2) / b;
        var p = (logp - logp.max()).exp();
        p /= p.sum();
        var pw = p.sum(1);
        var pc = p.sum(new long[] { 0 }); // (a literal 0 would bind to the ScalarType overload)
        double Mean(Tensor q) => (q * grid).sum().item<double>();
        double Var(Tensor q, double m) => (q * (grid - m).square()).sum().item<double>();
        double mw = Mean(pw), mc = Mean(pc);
        return ([mw, mc], [Var(pw, mw), Var(pc, mc)]);
    }
}
