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
}
