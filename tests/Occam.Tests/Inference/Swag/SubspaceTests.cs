using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>
/// Subspace inference against closed forms: on a linear-Gaussian model the tempered posterior over the
/// subspace coordinates is Gaussian, and elliptical slice sampling (and HMC) must reproduce its mean and
/// covariance within Monte Carlo error; the PCA basis must reproduce the top eigenpairs of the
/// deviations' covariance.
/// </summary>
public sealed class SubspaceTests
{
    private const double NoiseSd = 0.5, Temperature = 50, PriorSd = 1.5;

    /// <summary>y = X w + noise through a bias-free Linear(3, 1), a 2-D subspace around θ̄, and the analytic posterior of z.</summary>
    private sealed class LinearGaussian : IDisposable
    {
        public LinearGaussian()
        {
            using var scope = NewDisposeScope();
            var g = new Generator(21);
            using (new RandomSeed(4)) Network = nn.Linear(3, 1, hasBias: false);
            var x = randn(new long[] { 200, 3 }, generator: g);
            var y = x.matmul(tensor(new[] { 0.8f, -0.5f, 0.3f }).unsqueeze(1)) + NoiseSd * randn(new long[] { 200, 1 }, generator: g);
            Data = new Dataset(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), TaskKind.Regression);
            Likelihood = new GaussianLikelihood(NoiseSd, learnNoise: false);
            Mean = tensor(new[] { 0.2, -0.1, 0.4 }).MoveToOuterDisposeScope();
            Basis = tensor(new double[,] { { 0.6, 0.2, -0.3 }, { -0.1, 0.4, 0.5 } }).MoveToOuterDisposeScope();
            // z | D ~ N(m, Λ⁻¹): Λ = I/σ² + MᵀM/(s²T), m = Λ⁻¹ Mᵀ(y − Xθ̄)/(s²T), M = X Bᵀ
            var xd = Data.Inputs.to_type(ScalarType.Float64);
            var m = xd.matmul(Basis.t());
            var residual = Data.Targets.to_type(ScalarType.Float64).squeeze(1) - xd.matmul(Mean);
            var precision = eye(2, dtype: ScalarType.Float64) / (PriorSd * PriorSd) + m.t().matmul(m) / (NoiseSd * NoiseSd * Temperature);
            Covariance = linalg.inv(precision).MoveToOuterDisposeScope();
            PosteriorMean = Covariance.matmul(m.t().matmul(residual)).div(NoiseSd * NoiseSd * Temperature).MoveToOuterDisposeScope();
        }

        public nn.Module<Tensor, Tensor> Network { get; }
        public Dataset Data { get; }
        public GaussianLikelihood Likelihood { get; }
        public Tensor Mean { get; }
        public Tensor Basis { get; }
        public Tensor PosteriorMean { get; }
        public Tensor Covariance { get; }

        public Tensor Sample(Func<SubspaceTarget, IKernel<SubspaceChain>> kernel, int burnIn, int samples)
        {
            using var target = new SubspaceTarget(WeightSpace.Of(Network), Likelihood, Mean, Basis, Temperature);
            using var kept = new SubspaceSamples();
            var options = new RunOptions { Epochs = burnIn + samples, BatchSize = 200, Shuffle = false, BurnIn = burnIn };
            Runner.Run(kernel(target), Data, options, new FitContext(9), kept).State.Dispose();
            return kept.Stack();
        }

        public void Dispose()
        {
            Network.Dispose();
            Data.Dispose();
            Likelihood.Dispose();
            Mean.Dispose();
            Basis.Dispose();
            PosteriorMean.Dispose();
            Covariance.Dispose();
        }
    }

    [Fact]
    public void EllipticalSliceSampling_OnALinearGaussianModel_MatchesTheAnalyticTemperedPosterior()
    {
        using var model = new LinearGaussian();
        using var scope = NewDisposeScope();
        var samples = model.Sample(t => new EllipticalSliceKernel(t, PriorSd), burnIn: 200, samples: 12_000);
        AssertMatches(model, samples, covarianceTolerance: 0.08);
    }

    [Fact]
    public void Hmc_OnALinearGaussianModel_MatchesTheAnalyticTemperedPosterior()
    {
        using var model = new LinearGaussian();
        using var scope = NewDisposeScope();
        var samples = model.Sample(t => new SubspaceHmcKernel(t, PriorSd, leapfrogSteps: 8, initialStepSize: 0.1, burnIn: 300), burnIn: 300, samples: 2_500);
        AssertMatches(model, samples, covarianceTolerance: 0.1);
    }

    [Fact]
    public void EllipticalSliceSampling_WithoutTheTemperature_MissesThePosterior()
    {
        // The broken variant: T = 1 instead of T = 50 concentrates the posterior; the same checks must fail.
        using var model = new LinearGaussian();
        using var scope = NewDisposeScope();
        using var target = new SubspaceTarget(WeightSpace.Of(model.Network), model.Likelihood, model.Mean, model.Basis, 1);
        using var kept = new SubspaceSamples();
        Runner.Run(new EllipticalSliceKernel(target, PriorSd), model.Data, new RunOptions { Epochs = 2_200, BatchSize = 200, Shuffle = false, BurnIn = 200 },
            new FitContext(9), kept).State.Dispose();
        var samples = kept.Stack();
        var centred = samples - samples.mean(new long[] { 0 });
        var covariance = centred.t().matmul(centred) / (samples.shape[0] - 1);
        Assert.True(((covariance - model.Covariance).norm() / model.Covariance.norm()).item<double>() > 0.5);
    }

    /// <summary>Mean within 4 batch-means standard errors, covariance within a relative Frobenius error.</summary>
    private static void AssertMatches(LinearGaussian model, Tensor samples, double covarianceTolerance)
    {
        long n = samples.shape[0];
        var mean = samples.mean(new long[] { 0 });
        var batches = samples.narrow(0, 0, n / 20 * 20).view(20, n / 20, 2).mean(new long[] { 1 });
        var se = batches.std(new long[] { 0 }) / Math.Sqrt(20);
        var z = ((mean - model.PosteriorMean).abs() / se).max().item<double>();
        Assert.True(z < 4, $"posterior mean off by {z:F1} standard errors: {Show(mean)} vs {Show(model.PosteriorMean)}");
        var centred = samples - mean;
        var covariance = centred.t().matmul(centred) / (n - 1);
        double error = ((covariance - model.Covariance).norm() / model.Covariance.norm()).item<double>();
        Assert.True(error < covarianceTolerance, $"posterior covariance relative error {error:F3}: {Show(covariance)} vs {Show(model.Covariance)}");
    }

    private static string Show(Tensor t) => string.Join(", ", t.contiguous().data<double>().ToArray().Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void PcaBasis_ReproducesTheTopEigenpairsOfTheDeviationCovariance()
    {
        using var scope = NewDisposeScope();
        var deviations = randn(new long[] { 6, 5 }, ScalarType.Float64, generator: new Generator(2));
        var basis = SubspaceMethod.Basis(deviations, 3);
        var (values, vectors) = linalg.eigh(deviations.t().matmul(deviations) / 5);
        var top = vectors.narrow(1, 2, 3); // eigh sorts ascending: the top 3 of 5
        var expected = top.matmul(diag(values.narrow(0, 2, 3))).matmul(top.t());
        Assert.True(basis.t().matmul(basis).allclose(expected, 1e-10, 1e-12));
        var full = SubspaceMethod.Basis(deviations, 5); // rank min(K′, P) = 5
        Assert.True(full.t().matmul(full).allclose(deviations.t().matmul(deviations) / 5, 1e-10, 1e-12), "at full rank PᵀP = D Dᵀ/(K′ − 1)");
    }

    private static ModelSetup Setup() => new()
    {
        Network = new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = 6, BatchSize = 16, LearningRate = 1e-2 },
    };

    [Fact]
    public void Fit_SamplesLieInTheAffineSubspaceAroundTheSwaMean()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = (WeightPosterior)new SubspaceMethod(Setup(), new SubspaceOptions { SubspaceRank = 4, Samples = 12 }).Fit(train, new FitContext(Seed: 3));
        var weights = Assert.IsType<SubspaceWeights>(posterior.Distribution);
        using var scope = NewDisposeScope();
        Assert.Equal(4, weights.Dimension);
        Assert.Equal(12, weights.DefaultSamples);
        var basis = weights.Basis();
        var offsets = weights.Thetas() - WeightSpace.Of(posterior.Network).Get().to_type(ScalarType.Float64); // the network holds θ̄
        var projected = offsets.matmul(linalg.pinv(basis)).matmul(basis);
        Assert.True(projected.allclose(offsets, 1e-5, 1e-6));
        Assert.True(weights.Coordinates().std().item<double>() > 0, "the chain moves");
    }

    [Fact]
    public void Hmc_Option_FitsAndPredicts()
    {
        using var train = SyntheticData.GapRegression(64, seed: 2);
        using var posterior = new SubspaceMethod(Setup(), new SubspaceOptions { SubspaceSampler = SubspaceSampler.Hmc, Samples = 10, SubspaceBurnIn = 10 }).Fit(train, new FitContext(Seed: 3));
        using var x = linspace(-2, 2, 7).unsqueeze(1);
        using var p = posterior.Predict(x);
        using var variance = p.Variance;
        Assert.True(variance.isfinite().all().item<bool>() && variance.min().item<double>() > 0);
    }

    [Fact]
    public void SubspaceRank_AboveTheDeviationsKept_IsRefusedBeforeAnyTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => new SubspaceMethod(Setup(), new SubspaceOptions { SubspaceRank = 8, MaxRank = 5 }));
        Assert.Equal("SubspaceRank", e.ParamName);
        using var train = SyntheticData.GapRegression(64, seed: 2);
        var reports = new RecordingProgress();
        var fit = Assert.Throws<ArgumentException>(() => new SubspaceMethod(Setup(), new SubspaceOptions { SubspaceRank = 15 })
            .Fit(train, new FitContext(1, Progress: reports)));
        Assert.Equal("SubspaceRank", fit.ParamName);
        Assert.Empty(reports.Seen);
    }
}
