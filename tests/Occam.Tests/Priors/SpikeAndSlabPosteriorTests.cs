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
/// Posterior inclusion probabilities under the spike-and-slab prior: SGLD's Rao-Blackwellised estimates on
/// a linear regression against exact enumeration of all 2^d inclusion patterns (each a Gaussian marginal
/// likelihood in closed form, float64), a prior with ρ and 1 − ρ swapped failing that comparison, and
/// recovery of the relevant features of a sparse regression through a hidden layer.
/// </summary>
public sealed class SpikeAndSlabPosteriorTests(ITestOutputHelper output)
{
    private const int N = 50, D = 5, Chains = 16;
    private const double NoiseSd = 1.0, Slab = 1.0, Spike = 0.1, BiasPrecision = 1.0;
    private static readonly double[] Rho = [0.5, 0.2, 0.5, 0.7, 0.3];
    private static readonly float[] Coefficients = [1.0f, 0f, 0.3f, 0.15f, 0f];

    /// <summary>
    /// SGLD's discretisation bias allowance on top of 4 Monte Carlo standard errors: at ε = 0.01 (h = 2·10⁻⁴)
    /// the stiffest direction (spike precision 100 plus the likelihood's 50) has h·λ ≈ 0.03, which moves the
    /// stationary variance by about 1.5%, and a probability by well under 0.01.
    /// </summary>
    private const double Allowance = 0.01;

    private static (Tensor X, Tensor Y) LinearData()
    {
        var g = new Generator(31);
        var x = randn(new long[] { N, D }, generator: g);
        var y = x.matmul(tensor(Coefficients).view(D, 1)) + 0.2f + (float)NoiseSd * randn(new long[] { N, 1 }, generator: g);
        return (x, y);
    }

    /// <summary>
    /// p(γⱼ = 1 | y) by enumeration: for each γ ∈ {0,1}^d, y ~ N(0, A Σ_γ Aᵀ + σ² I) with A = [X, 1] and
    /// Σ_γ = diag(σ_γ₁², …, σ_γd², 1/λ_bias); weights p(γ) Π ρ^γ (1 − ρ)^(1−γ).
    /// </summary>
    private static double[] ExactInclusion(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var a = cat(new[] { x, ones(N, 1) }, 1).to_type(ScalarType.Float64);
        var yy = y.to_type(ScalarType.Float64);
        var logWeights = new double[1 << D];
        for (int mask = 0; mask < 1 << D; mask++)
        {
            var variances = new double[D + 1];
            double logPrior = 0;
            for (int j = 0; j < D; j++)
            {
                bool included = (mask >> j & 1) == 1;
                variances[j] = included ? Slab * Slab : Spike * Spike;
                logPrior += Math.Log(included ? Rho[j] : 1 - Rho[j]);
            }
            variances[D] = 1 / BiasPrecision;
            var cov = (a * tensor(variances)).matmul(a.T) + NoiseSd * NoiseSd * eye(N, dtype: ScalarType.Float64);
            var chol = linalg.cholesky(cov);
            var z = linalg.solve_triangular(chol, yy, upper: false);
            double logDet = 2 * chol.diagonal().log().sum().item<double>();
            logWeights[mask] = logPrior - 0.5 * (z.square().sum().item<double>() + logDet + N * Math.Log(2 * Math.PI));
        }
        double max = logWeights.Max();
        var w = logWeights.Select(l => Math.Exp(l - max)).ToArray();
        double total = w.Sum();
        return [.. Enumerable.Range(0, D).Select(j => Enumerable.Range(0, 1 << D).Where(m => (m >> j & 1) == 1).Sum(m => w[m]) / total)];
    }

    /// <summary>SGLD's per-draw conditional inclusion rⱼ(θ⁽ˢ⁾), chain-major, per feature.</summary>
    private static double[][] SampledConditionals(SpikeAndSlabPrior prior, Tensor x, Tensor y)
    {
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression, name: "spike-slab-linear");
        var setup = new ModelSetup
        {
            Network = new MlpSpec([]), Likelihood = new GaussianLikelihood(NoiseSd, learnNoise: false), Prior = prior,
            Training = new TrainerOptions { Epochs = 200, BatchSize = N, LearningRate = 0.01 }, Standardise = false,
        };
        var options = new SgldOptions { Chains = Chains, StepSize = 0.01, Epochs = 12000, BurnIn = 1000, Thin = 20, MaxSamples = Chains * 600 };
        using var thread = new SingleThread();
        using var posterior = (WeightPosterior)new SgldMethod(setup, options).Fit(data, new FitContext(Seed: 7));
        using var thetas = ((ChainSamples)posterior.Distribution).Thetas();
        using var r = prior.ConditionalInclusion(thetas);
        using var cpu = r.cpu();
        return [.. Enumerable.Range(0, D).Select(j => cpu[.., j].contiguous().data<double>().ToArray())];
    }

    private string? Compare(SpikeAndSlabPrior prior)
    {
        var (x, y) = LinearData();
        using (x)
        using (y)
        {
            var exact = ExactInclusion(x, y);
            var sampled = SampledConditionals(prior, x, y);
            var check = new MomentCheck(Chains); // for the ESS of each conditional's series
            var failures = new List<string>();
            for (int j = 0; j < D; j++)
            {
                double estimate = sampled[j].Average();
                double ess = check.Ess(sampled[j]);
                double sd = Math.Sqrt(sampled[j].Sum(v => (v - estimate) * (v - estimate)) / (sampled[j].Length - 1));
                double tolerance = 4 * sd / Math.Sqrt(ess) + Allowance;
                output.WriteLine($"feature {j + 1}: exact {exact[j]:F4}, SGLD {estimate:F4} (tolerance {tolerance:F4}, ESS {ess:F0})");
                if (Math.Abs(estimate - exact[j]) > tolerance) failures.Add($"feature {j + 1}: {estimate:F4} vs exact {exact[j]:F4}");
            }
            Assert.Contains(exact, p => p is > 0.1 and < 0.9); // the comparison has probabilities away from 0 and 1 to get right
            return failures.Count == 0 ? null : string.Join("; ", failures);
        }
    }

    [Fact]
    public void Sgld_InclusionProbabilities_MatchExactEnumeration()
    {
        var failure = Compare(new SpikeAndSlabPrior(new MlpLayout(D, []), Rho, Slab, Spike, new InformativeGaussianPrior(BiasPrecision)));
        Assert.Null(failure);
    }

    [Fact]
    public void Sgld_WithSwappedPriorOdds_MissesExactEnumeration()
    {
        var broken = new SpikeAndSlabPrior(new MlpLayout(D, []), Rho, Slab, Spike, new InformativeGaussianPrior(BiasPrecision)) { Defect = SpikeAndSlabDefect.SwappedOdds };
        Assert.NotNull(Compare(broken));
    }

    [Fact]
    public void SparseRegression_RecoversTheRelevantFeatures()
    {
        // 10 standardised features, y depends on features 1, 4 and 7 only, through a tanh layer of 4 units.
        const int n = 200, d = 10;
        int[] relevant = [0, 3, 6];
        var g = new Generator(41);
        using var x = randn(new long[] { n, d }, generator: g);
        using var signal = x[.., 0] * 1.0f - x[.., 3].tanh() * 1.2f + x[.., 6] * 0.7f;
        using var y = (signal + 0.3f * randn(new long[] { n }, generator: g)).unsqueeze(1);
        using var data = new Dataset(x.clone(), y.clone(), TaskKind.Regression, name: "sparse");
        var prior = new SpikeAndSlabPrior(new MlpLayout(d, [4]), [0.3], slabSd: 1.0, spikeSd: 0.05);
        var setup = new ModelSetup
        {
            Network = new MlpSpec([4], Activation.Tanh), Prior = prior,
            Training = new TrainerOptions { Epochs = 600, BatchSize = 50, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine },
        };
        var options = new SgldOptions { Chains = 4, StepSize = 0.01, Epochs = 400, BurnIn = 200, MaxSamples = 800 };
        using var thread = new SingleThread();
        using var posterior = new SgldMethod(setup, options).Fit(data, new FitContext(Seed: 9));
        var inclusion = FeatureInclusion.Of(prior, posterior);
        output.WriteLine(string.Join(", ", inclusion.Select(f => $"{f.Feature} {f.Posterior:F3}")));
        for (int j = 0; j < d; j++)
        {
            if (relevant.Contains(j)) Assert.True(inclusion[j].Posterior > 0.9, $"relevant {inclusion[j].Feature}: {inclusion[j].Posterior:F3}");
            else Assert.True(inclusion[j].Posterior < 0.1, $"irrelevant {inclusion[j].Feature}: {inclusion[j].Posterior:F3}");
        }
    }
}
