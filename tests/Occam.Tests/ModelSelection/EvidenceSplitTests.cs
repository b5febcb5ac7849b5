using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Models;
using Occam.ModelSelection;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using Occam.Priors;
using Occam.Tests.Inference.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.ModelSelection;

/// <summary>
/// The evidence split against closed-form Bayesian linear regression: log N(y | 0, σ²I + α⁻¹ΦΦᵀ), the data fit
/// log N(y | Φθ*, σ²I) and N_eff = Σ λᵢ/(λᵢ + α) from the eigenvalues of ΦᵀΦ/σ², for Laplace and for the IVON and
/// SWAG Gaussians given the exact posterior.
/// </summary>
public sealed class EvidenceSplitTests
{
    private const double Noise = 0.375, Alpha = 2.0, Tolerance = 1e-10; // σ exact in float32, where the likelihood keeps it

    private static (Tensor X, Tensor Y) Data(int n = 40, int d = 4, long seed = 5, bool orthogonal = false)
    {
        var g = new Generator((ulong)seed);
        var x = randn(new long[] { n, d }, ScalarType.Float64, generator: g);
        if (orthogonal)
        {
            // Zero-mean orthogonal columns of different lengths: ΦᵀΦ for Φ = [X, 1] is diagonal.
            var (q, _) = linalg.qr(x - x.mean(new long[] { 0 }, keepdim: true));
            x = q * arange(1, d + 1, ScalarType.Float64) * 3;
        }
        var w = tensor(new[] { 1.0, -0.5, 2.0, 0.7, -1.2 }[..d], ScalarType.Float64).view(d, 1);
        var y = x.matmul(w) + 0.4 + Noise * randn(new long[] { n, 1 }, ScalarType.Float64, generator: g);
        // Datasets hold float32: the closed form uses the same rounded values, so everything after is float64.
        return (x.to_type(ScalarType.Float32).to_type(ScalarType.Float64).DetachFromDisposeScope(), y.to_type(ScalarType.Float32).to_type(ScalarType.Float64).DetachFromDisposeScope());
    }

    private static Dataset Float32(Tensor x, Tensor y) => new(x.to_type(ScalarType.Float32), y.to_type(ScalarType.Float32), TaskKind.Regression);

    private static Mlp Linear(Tensor theta)
    {
        var net = new Mlp((int)theta.shape[0] - 1, [], 1, seed: 1);
        net.to(ScalarType.Float64);
        using (no_grad()) net.Weights.copy_(theta.view(1, -1));
        return net;
    }

    private static LaplacePosterior FitLaplace(Tensor x, Tensor y, Tensor theta, HessianStructure structure)
    {
        var method = new LaplaceMethod(new ModelSetup { Prior = new GaussianPrior(Alpha) },
            new LaplaceOptions { Subset = WeightSubset.All, Structure = structure, Tuning = PriorTuning.None, TuneNoise = false });
        using var data = Float32(x, y);
        return method.FitToNetwork(Linear(theta), new GaussianLikelihood(Noise, learnNoise: false), data);
    }

    private static WeightPosterior GaussianPosterior(Tensor x, IWeightDistribution distribution, Tensor mean)
    {
        var frame = new ModelFrame(TaskKind.Regression, [x.shape[1]], 1, 1, Standardiser.Identity);
        return new WeightPosterior("gaussian", frame, new MlpSpec([]), Linear(mean), new GaussianLikelihood(Noise, learnNoise: false), distribution);
    }

    /// <summary>log N(y | Φθ, σ²I), computed here.</summary>
    private static double DataFit(BayesianLinearRegression blr, Tensor theta)
    {
        using var scope = NewDisposeScope();
        var residual = blr.Y - blr.Phi.matmul(theta);
        long n = residual.shape[0];
        return (-0.5 * residual.square().sum() / (Noise * Noise)).item<double>() - n * Math.Log(Noise) - 0.5 * n * Math.Log(2 * Math.PI);
    }

    private static double EffectiveDimension(BayesianLinearRegression blr)
    {
        using var scope = NewDisposeScope();
        var lambda = linalg.eigvalsh(blr.Phi.t().matmul(blr.Phi) / (Noise * Noise));
        return (lambda / (lambda + Alpha)).sum().item<double>();
    }

    private static void AssertClose(double expected, double actual, string what, double tolerance = Tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R} vs closed form {expected:R}");

    private static void AssertMatchesClosedForm(BayesianLinearRegression blr, EvidenceSplit split, string what)
    {
        double evidence = blr.LogEvidence(), fit = DataFit(blr, blr.Mean);
        AssertClose(fit, split.DataFit, $"{what} data fit");
        AssertClose(evidence, split.LogEvidence, $"{what} log evidence");
        AssertClose(evidence - fit, split.OccamFactor, $"{what} Occam factor");
        Assert.Equal(split.LogEvidence, split.DataFit + split.OccamFactor, 12);
        Assert.NotNull(split.EffectiveDimension);
        AssertClose(EffectiveDimension(blr), split.EffectiveDimension!.Value, $"{what} N_eff");
    }

    [Theory]
    [InlineData(HessianStructure.Full)]
    [InlineData(HessianStructure.Kron)]
    [InlineData(HessianStructure.LowRank)]
    public void Laplace_OnLinearGaussian_EqualsTheClosedFormEvidenceAndItsSplit(HessianStructure structure)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var blr = new BayesianLinearRegression(x, y, Alpha, Noise);
        using var posterior = FitLaplace(x, y, blr.Mean, structure);
        var split = ModelEvidence.Of(posterior);
        AssertMatchesClosedForm(blr, split, structure.ToString());
        AssertClose(posterior.Evidence.LogMarginalLikelihood, split.LogEvidence, "the Laplace posterior's own evidence");
        Assert.Equal("MAP", split.Centre);
        Assert.False(split.IsHeuristic);
    }

    [Fact]
    public void OccamFactor_DecreasesAsTheNestedLinearFamilyGrows()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(n: 60, d: 5, seed: 11);
        var occam = new List<double>();
        for (int k = 1; k <= 5; k++)
        {
            var features = x.narrow(1, 0, k).contiguous();
            using var blr = new BayesianLinearRegression(features, y, Alpha, Noise);
            using var posterior = FitLaplace(features, y, blr.Mean, HessianStructure.Full);
            var split = ModelEvidence.Of(posterior);
            AssertMatchesClosedForm(blr, split, $"{k} features");
            occam.Add(split.OccamFactor);
        }
        for (int k = 1; k < occam.Count; k++)
            Assert.True(occam[k] < occam[k - 1], $"Occam factor with {k + 1} features {occam[k]:F3} is not below {k} features' {occam[k - 1]:F3}");
    }

    [Fact]
    public void IvonGaussian_GivenTheExactPosterior_ReproducesTheExactEvidence()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(orthogonal: true);
        using var blr = new BayesianLinearRegression(x, y, Alpha, Noise);
        // IVON's state for this model: h the per-example Hessian of the mean NLL, ess = N, δ = α/N; σ = (ess·(h + δ))^-½.
        long n = x.shape[0];
        var h = blr.Phi.square().sum(new long[] { 0 }) / (Noise * Noise * n);
        var sd = (n * (h + Alpha / n)).rsqrt();
        AssertClose(0, (blr.Covariance - diag(sd.square())).abs().max().item<double>(), "the orthogonal design's posterior is diagonal");
        using var posterior = GaussianPosterior(x, new DiagonalGaussianWeights(blr.Mean.clone(), sd), blr.Mean);
        using var train = Float32(x, y);
        var split = ModelEvidence.Of(posterior, train, Alpha);
        AssertMatchesClosedForm(blr, split, "IVON");
        Assert.Equal("mean", split.Centre);
    }

    [Fact]
    public void SwagGaussian_GivenTheExactPosteriorAsLowRankPlusDiagonal_ReproducesTheExactEvidence()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var blr = new BayesianLinearRegression(x, y, Alpha, Noise);
        // Write Σ = scale·½(diag(v) + D Dᵀ/(K − 1)) with scale 0.5: v = 2·λ_min(Σ), and D from the eigenpairs of the rest.
        const double scale = 0.5;
        var (eigenvalues, _) = linalg.eigh(blr.Covariance);
        double lambdaMin = eigenvalues.min().item<double>();
        var v = full(blr.Mean.shape[0], 2 * lambdaMin, ScalarType.Float64);
        var (restValues, restVectors) = linalg.eigh(blr.Covariance / (scale / 2) - diag(v));
        int k = (int)restValues.shape[0];
        var deviations = (restVectors * (restValues.clamp_min(0) * (k - 1)).sqrt()).t().contiguous();
        using var swag = new LowRankGaussianWeights(blr.Mean.clone(), v, deviations, scale);
        AssertClose(0, (blr.Covariance - scale * swag.Covariance()).abs().max().item<double>(), "the constructed SWAG covariance");
        using var posterior = GaussianPosterior(x, swag, blr.Mean);
        using var train = Float32(x, y);
        var split = ModelEvidence.Of(posterior, train, Alpha);
        AssertMatchesClosedForm(blr, split, "SWAG");
        Assert.True(split.IsHeuristic);
    }

    [Fact]
    public void SwagDiagonal_GivenTheExactDiagonalPosterior_ReproducesTheExactEvidence()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(orthogonal: true);
        using var blr = new BayesianLinearRegression(x, y, Alpha, Noise);
        const double scale = 0.5;
        var swag = new LowRankGaussianWeights(blr.Mean.clone(), blr.Covariance.diagonal() / scale, null, scale);
        using var posterior = GaussianPosterior(x, swag, blr.Mean);
        using var train = Float32(x, y);
        var split = ModelEvidence.Of(posterior, train, Alpha);
        AssertMatchesClosedForm(blr, split, "SWAG-diagonal");
    }

    [Fact]
    public void LowRankPlusDiagonalDeterminant_EqualsTheDenseDeterminant()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var d = rand(new long[] { 30 }, ScalarType.Float64, generator: g) + 0.1;
        var u = randn(new long[] { 30, 6 }, ScalarType.Float64, generator: g);
        var (logDetPrecision, variances) = GaussianVolume.LowRankPlusDiagonal(d, u);
        var dense = diag(d) + u.matmul(u.t());
        AssertClose(-linalg.slogdet(dense).Item2.item<double>(), logDetPrecision, "log det");
        AssertClose(0, (dense.diagonal() - variances).abs().max().item<double>(), "marginal variances");
    }

    [Fact]
    public void SamplesPosterior_IsRefusedWithAMessage()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        var theta = zeros(new long[] { 5 }, ScalarType.Float64);
        using var posterior = GaussianPosterior(x, new WeightSamples(theta.unsqueeze(0).clone()), theta);
        using var train = Float32(x, y);
        var error = Assert.Throws<NotSupportedException>(() => ModelEvidence.Of(posterior, train, Alpha));
        Assert.Contains("Gaussian", error.Message);
    }
}
