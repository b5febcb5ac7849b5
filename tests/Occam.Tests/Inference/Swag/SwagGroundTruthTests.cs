using Occam.Core;
using Occam.Data;
using Occam.Inference.Swag;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>
/// SWAG's covariance against truths that do not come from Occam: the stationary covariance of
/// constant-rate SGD on a quadratic loss with Gaussian gradient noise (the Ornstein–Uhlenbeck result of
/// Mandt, Hoffman &amp; Blei 2017), the covariance of its samples against ½(Σ_diag + D Dᵀ/(K′ − 1)), and the
/// collector's moments and deviations against a direct computation.
/// </summary>
public sealed class SwagGroundTruthTests
{
    private const int D = 3;

    /// <summary>A = Q diag(1, 1.5, 2) Qᵀ (float64).</summary>
    private static Tensor Curvature()
    {
        using var scope = NewDisposeScope();
        var (q, _) = linalg.qr(tensor(new double[,] { { 1, 0.4, -0.2 }, { 0.3, 1, 0.5 }, { -0.1, 0.6, 1 } }));
        return q.matmul(diag(tensor(new[] { 1.0, 1.5, 2.0 }))).matmul(q.t()).MoveToOuterDisposeScope();
    }

    /// <summary>L with C = L Lᵀ, the gradient noise covariance (float64).</summary>
    private static Tensor NoiseFactor() => tensor(new double[,] { { 1.0, 0, 0 }, { 0.5, 0.8, 0 }, { -0.3, 0.2, 0.6 } });

    /// <summary>Solves A Σ + Σ A = ε C for Σ (the OU stationary covariance of Mandt et al. 2017, eq. 10, with B Bᵀ/S = C).</summary>
    private static Tensor OrnsteinUhlenbeck(Tensor a, Tensor c, double epsilon)
    {
        using var scope = NewDisposeScope();
        var eye3 = eye(D, dtype: ScalarType.Float64);
        var system = kron(eye3, a) + kron(a, eye3);
        var vec = linalg.solve(system, (epsilon * c).reshape(-1));
        return vec.reshape(D, D).MoveToOuterDisposeScope();
    }

    [Fact]
    public void CovarianceEstimate_OnANoisyQuadratic_ApproachesTheOrnsteinUhlenbeckCovarianceOfConstantRateSgd()
    {
        // R independent chains of θ ← θ − ε(Aθ + ξ), ξ ~ N(0, C), run side by side as one vector [R·3]: each chain's
        // 3×3 block of SWAG's estimates is an independent estimate of the same stationary covariance; their average
        // is compared. ε = 0.02 keeps the discretisation bias of the OU limit below ελ_max/2 = 2%; collecting every
        // 25 steps (half the slowest relaxation time 1/(ελ_min) = 50 steps) over 30,000 steps keeps 1,200 iterates
        // per chain, 1,000 of them as deviations, so the Monte Carlo error of the averaged blocks is about 1%.
        const int chains = 40, rank = 1000;
        const double epsilon = 0.02;
        using var scope = NewDisposeScope();
        var a = Curvature();
        var factor = NoiseFactor();
        var truth = OrnsteinUhlenbeck(a, factor.matmul(factor.t()), epsilon);
        using var data = new Dataset(zeros(1000, 1), zeros(1000, 1), TaskKind.Regression);
        var kernel = new NoisyQuadratic(a, factor, epsilon, chains);
        using var collector = new SwagCollector(() => kernel.Theta!.reshape(-1).clone(), rank);
        var run = new RunOptions { Epochs = 31, BatchSize = 1, Shuffle = false, BurnIn = 1000, Thin = 25 };
        Runner.Run(kernel, data, run, new FitContext(5), collector).State.Dispose();
        Assert.Equal(1200, collector.Count);

        using var swag = new LowRankGaussianWeights(collector.Mean(), collector.Variance(1e-12), collector.Deviations(), scale: 1);
        var blocks = Blocks(swag.Covariance(), chains);
        var diagonal = Blocks(diag(swag.Variance()), chains);
        var deviations = swag.Deviations();
        var lowRank = Blocks(deviations.t().matmul(deviations) / (swag.Rank - 1), chains);

        Assert.True(RelativeError(diagonal, diag(truth.diagonal())) < 0.05, $"Σ_diag: relative error {RelativeError(diagonal, diag(truth.diagonal())):F3}");
        Assert.True(RelativeError(lowRank, truth) < 0.05, $"D Dᵀ/(K′ − 1): relative error {RelativeError(lowRank, truth):F3}");
        // SWAG halves the off-diagonal part: its estimate tends to ½(diag Σ + Σ), equal to Σ on the diagonal.
        var expected = (diag(truth.diagonal()) + truth) / 2;
        Assert.True(RelativeError(blocks, expected) < 0.05, $"SWAG covariance: relative error {RelativeError(blocks, expected):F3}");
        Assert.True(blocks.diagonal().allclose(truth.diagonal(), 0.05, 0));
    }

    [Fact]
    public void Samples_HaveTheCovarianceHalfDiagPlusLowRankOverKPrimeMinusOne_WithFewerDeviationsThanTheMaximumRank()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var iterates = randn(new long[] { 7, 4 }, ScalarType.Float64, generator: g).matmul(tensor(new double[,] { { 1, 0.5, 0, 0 }, { 0, 1, 0.3, 0 }, { 0, 0, 1, -0.4 }, { 0.2, 0, 0, 1 } }));
        using var collector = Collect(iterates, maxRank: 20);
        Assert.Equal(7, collector.Rank);
        using var swag = new LowRankGaussianWeights(collector.Mean(), collector.Variance(1e-6), collector.Deviations(), scale: 1);
        var d = swag.Deviations();
        var expected = (diag(swag.Variance()) + d.t().matmul(d) / 6) / 2;          // K′ − 1 = 6
        var maximumRank = (diag(swag.Variance()) + d.t().matmul(d) / 19) / 2;      // the published implementations' divisor
        Assert.True(swag.Covariance().allclose(expected, 1e-12, 1e-14));

        const int n = 400_000;
        var draws = swag.Sample(n, new Generator(11));
        var centred = draws - draws.mean(new long[] { 0 });
        var sample = centred.t().matmul(centred) / (n - 1);
        // standard error of a sample covariance entry: sqrt((Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n)
        var se = ((expected.diagonal().unsqueeze(1) * expected.diagonal().unsqueeze(0) + expected.square()) / n).sqrt();
        Assert.True(((sample - expected).abs() / se).max().item<double>() < 5, "sample covariance differs from ½(Σ_diag + D Dᵀ/(K′ − 1))");
        Assert.True(((sample - maximumRank).abs() / se).max().item<double>() > 20, "the test cannot tell K′ − 1 from K − 1");

        using var halved = new LowRankGaussianWeights(swag.Mean(), swag.Variance(), swag.Deviations(), scale: 0.5);
        var scaled = halved.Sample(8, new Generator(11));
        var mean = swag.Mean();
        Assert.True((scaled - mean).allclose((swag.Sample(8, new Generator(11)) - mean) * Math.Sqrt(0.5), 1e-12, 1e-14), "scale multiplies the covariance");
    }

    [Fact]
    public void DiagonalSamples_HaveTheDiagonalCovariance()
    {
        using var scope = NewDisposeScope();
        var iterates = randn(new long[] { 9, 3 }, ScalarType.Float64, generator: new Generator(4)) * tensor(new[] { 0.5, 1.0, 2.0 });
        using var collector = Collect(iterates, maxRank: 0);
        using var swag = new LowRankGaussianWeights(collector.Mean(), collector.Variance(1e-6), null, scale: 1);
        Assert.True(swag.IsDiagonal);
        var draws = swag.Sample(200_000, new Generator(2));
        var sample = draws.var(new long[] { 0 });
        Assert.True(sample.allclose(swag.Variance(), 0.02, 0));
        var centred = draws - draws.mean(new long[] { 0 });
        var offDiagonal = (centred.t().matmul(centred) / 200_000).triu(1);
        Assert.True(offDiagonal.abs().max().item<double>() < 0.03);
    }

    [Fact]
    public void Collector_KeepsRunningMoments_AndTheLastKDeviationsFromTheRunningMean_OldestFirst()
    {
        using var scope = NewDisposeScope();
        var iterates = randn(new long[] { 11, 5 }, ScalarType.Float64, generator: new Generator(8));
        using var collector = Collect(iterates, maxRank: 4);
        Assert.Equal(11, collector.Count);
        Assert.True(collector.Mean().allclose(iterates.mean(new long[] { 0 }), 1e-12, 1e-14));
        var variance = iterates.var(new long[] { 0 }, unbiased: false);
        Assert.True(collector.Variance(1e-300).allclose(variance, 1e-10, 1e-12));
        var expected = stack(Enumerable.Range(7, 4).Select(i => iterates[i] - iterates.narrow(0, 0, i + 1).mean(new long[] { 0 })).ToArray());
        Assert.True(collector.Deviations().allclose(expected, 1e-12, 1e-14));
        Assert.True(collector.Variance(10).eq(10).all().item<bool>(), "the floor applies");
    }

    /// <summary>A collector fed the rows of <paramref name="iterates"/> one per kept step.</summary>
    private static SwagCollector Collect(Tensor iterates, int maxRank)
    {
        int row = 0;
        var collector = new SwagCollector(() => iterates[row].clone(), maxRank);
        var context = new StepContext(0, 1, 0, 1, new Generator(0));
        for (row = 0; row < iterates.shape[0]; row++) collector.Collect(new object(), context);
        return collector;
    }

    /// <summary>The mean of the R diagonal 3×3 blocks of a [3R, 3R] matrix.</summary>
    private static Tensor Blocks(Tensor matrix, int chains) =>
        stack(Enumerable.Range(0, chains).Select(r => matrix.narrow(0, r * D, D).narrow(1, r * D, D)).ToArray()).mean(new long[] { 0 });

    private static double RelativeError(Tensor estimate, Tensor truth) => ((estimate - truth).norm() / truth.norm()).item<double>();

    /// <summary>SGD on ½ θᵀAθ with gradient noise N(0, C) for R chains at once, at a constant rate ε (float64).</summary>
    private sealed class NoisyQuadratic(Tensor a, Tensor factor, double epsilon, int chains) : IKernel<NoisyQuadratic.State>
    {
        public Tensor? Theta { get; private set; }

        public State Init(RunSetup setup)
        {
            Theta = zeros(new long[] { chains, D }, ScalarType.Float64).DetachFromDisposeScope();
            return new State(Theta);
        }

        public (State State, StepInfo Info) Step(State state, Batch batch, StepContext context)
        {
            var noise = randn(new long[] { chains, D }, ScalarType.Float64, generator: context.Random).matmul(factor.t());
            var gradient = Theta!.matmul(a) + noise; // A symmetric
            Theta!.sub_(gradient.mul_(epsilon * context.LearningRateFactor));
            return (state, new StepInfo(null));
        }

        public sealed record State(Tensor Theta) : IDisposable
        {
            public void Dispose() => Theta.Dispose();
        }
    }
}
