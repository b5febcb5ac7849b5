using Occam.Likelihoods;
using static TorchSharp.torch;

namespace Occam.Tests.Likelihoods;

public sealed class LikelihoodTests
{
    /// <summary>The Hessian of the per-example NLL with respect to the raw outputs, by double autograd.</summary>
    private static Tensor AutogradHessian(Likelihood likelihood, Tensor raw, Tensor target)
    {
        var f = raw.detach().clone().requires_grad_(true);
        var nll = likelihood.NegativeLogLikelihood(f.unsqueeze(0), target).sum();
        var grad = autograd.grad([nll], [f], retain_graph: true, create_graph: true)[0];
        var rows = Enumerable.Range(0, (int)f.shape[0])
            .Select(i => autograd.grad([grad[i]], [f], retain_graph: true)[0]).ToArray();
        return stack(rows);
    }

    [Fact]
    public void Categorical_OutputHessian_EqualsAutogradHessian()
    {
        using var scope = NewDisposeScope();
        var likelihood = new CategoricalLikelihood();
        var raw = tensor(new double[] { 0.3, -1.2, 2.0, 0.1 });
        var expected = AutogradHessian(likelihood, raw, tensor(new long[] { 2 }));
        var actual = likelihood.OutputHessian(raw.unsqueeze(0))[0];
        Assert.True(actual.allclose(expected, 1e-10, 1e-12));
    }

    [Fact]
    public void Gaussian_OutputHessian_IsPrecisionTimesIdentity_AsAutograd()
    {
        using var scope = NewDisposeScope();
        using var likelihood = new GaussianLikelihood(0.5, learnNoise: false);
        var raw = tensor(new double[] { 0.3, -1.2 });
        var expected = AutogradHessian(likelihood, raw, tensor(new double[] { 1.0, 0.0 }).unsqueeze(0));
        var actual = likelihood.OutputHessian(raw.unsqueeze(0))[0];
        Assert.True(actual.allclose(expected.to_type(actual.dtype), 1e-6, 1e-6));
        Assert.Equal(4.0, actual[0, 0].item<double>(), 6);
    }

    [Fact]
    public void Gaussian_Nll_MatchesNormalDensity_ForFixedAndLearnedNoise()
    {
        using var scope = NewDisposeScope();
        double Expected(double y, double mu, double sd) => 0.5 * Math.Log(2 * Math.PI * sd * sd) + (y - mu) * (y - mu) / (2 * sd * sd);
        using var fixedNoise = new GaussianLikelihood(0.7, learnNoise: false);
        using var learned = new GaussianLikelihood(0.7, learnNoise: true);
        var raw = tensor(new float[] { 0.2f, 1.0f }).view(2, 1);
        var y = tensor(new float[] { 1.0f, -0.5f }).view(2, 1);
        foreach (var likelihood in new[] { fixedNoise, learned })
        {
            var nll = likelihood.NegativeLogLikelihood(raw, y).data<float>().ToArray();
            Assert.Equal(Expected(1.0, 0.2, 0.7), nll[0], 5);
            Assert.Equal(Expected(-0.5, 1.0, 0.7), nll[1], 5);
        }
    }

    [Fact]
    public void Heteroscedastic_SplitsMeanAndSoftplusVariance()
    {
        using var scope = NewDisposeScope();
        var likelihood = new HeteroscedasticGaussianLikelihood(1e-6);
        var raw = tensor(new float[] { 0.5f, 0.3f }).view(1, 2);
        using var p = likelihood.Predict(raw.unsqueeze(0));
        double variance = Math.Log(1 + Math.Exp(0.3)) + 1e-6;
        Assert.Equal(0.5, p.Mean.item<double>(), 6);
        Assert.Equal(variance, p.Variance.item<double>(), 6);
        var nll = likelihood.NegativeLogLikelihood(raw, tensor(new float[] { 1.5f }).view(1, 1)).item<float>();
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * variance) + 1.0 / (2 * variance), nll, 4);
    }

    /// <summary>
    /// A row where a member has raised its variance must still pull its mean: the plain NLL's mean
    /// gradient (μ − y)/σ² vanishes as σ² grows (protein split 0: σ² ≈ 100 on heavy-tailed F7 rows,
    /// means drifting to ±30…1000 target sds); β-NLL keeps (μ − y)/σ^{2(1−β)} and leaves the
    /// variance optimum σ² = (y − μ)² where it was.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Heteroscedastic_TrainingLoss_MeanGradientIsResidualOverSigmaToTwoMinusTwoBeta_AndVarianceOptimumStays(double beta)
    {
        using var scope = NewDisposeScope();
        var likelihood = new HeteroscedasticGaussianLikelihood(1e-6, beta);
        double residual = 30, variance = 100; // μ − y = 30 at σ² = 100; then σ² = 900 = residual²
        static double InverseSoftplus(double v) => v + Math.Log(1 - Math.Exp(-v)); // stable for large v
        double s = InverseSoftplus(variance - 1e-6), sOpt = InverseSoftplus(residual * residual - 1e-6);
        var raw = tensor(new double[] { residual, s, residual, sOpt }).view(2, 2).requires_grad_(true);
        var y = zeros(2, 1, ScalarType.Float64);
        var grad = autograd.grad([likelihood.TrainingLoss(raw, y).sum()], [raw])[0];
        Assert.Equal(residual / Math.Pow(variance, 1 - beta), grad[0, 0].item<double>(), 6);
        Assert.Equal(0.0, grad[1, 1].item<double>(), 9); // d/ds vanishes at σ² = (y − μ)² for every β
        if (beta == 0) Assert.True(likelihood.TrainingLoss(raw, y).allclose(likelihood.NegativeLogLikelihood(raw, y)));
    }

    [Fact]
    public void Heteroscedastic_DefaultBeta_IsHalf_AndSurvivesForMembers()
    {
        var likelihood = (HeteroscedasticGaussianLikelihood)new HeteroscedasticGaussianLikelihood().ForMembers(5);
        Assert.Equal(0.5, likelihood.Beta);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeteroscedasticGaussianLikelihood(1e-6, 1.5));
    }

    [Fact]
    public void Categorical_PredictLatent_KeepsTheEpistemicPart_ProbitProbabilitiesAndPositiveMutualInformation()
    {
        using var scope = NewDisposeScope();
        var likelihood = new CategoricalLikelihood();
        var mean = tensor(new double[] { 2, 0, -1, 0.5, 0.5, 0.5 }).view(2, 3);
        var covariance = stack(new[] { eye(3, dtype: ScalarType.Float64) * 4, eye(3, dtype: ScalarType.Float64) * 0.01 });
        var prediction = new LatentPrediction(2000, new TorchSharp.torch.Generator(3));
        using var p = likelihood.PredictLatent(mean, covariance, prediction);
        var kappa = (1 + Math.PI / 8 * covariance.diagonal(0, 1, 2)).rsqrt();
        Assert.True(p.Probabilities.allclose((mean * kappa).softmax(-1), 1e-12, 1e-12), "probabilities are the probit closed form");
        var information = p.MutualInformation();
        Assert.True(information.min().item<double>() > 0, "a positive latent variance gives positive mutual information");
        Assert.True(information[0].item<double>() > 10 * information[1].item<double>(), "more latent variance, more mutual information");
        using var none = likelihood.PredictLatent(mean, zeros_like(covariance), prediction with { Samples = 50 });
        Assert.True(none.MutualInformation().abs().max().item<double>() < 1e-9, "no latent variance, no epistemic part");
    }
}
