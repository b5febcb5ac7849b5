using Occam.GaussianProcesses.Classification;
using Occam.Likelihoods;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.GaussianProcesses;

/// <summary>The binary latent's likelihood: closed forms against their definitions and against Monte Carlo.</summary>
public sealed class BernoulliLikelihoodTests
{
    private static double Phi(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    [Fact]
    public void ProbitPredictLatent_IsPhiOfMeanOverRootOnePlusVariance_AndMatchesItsSamples()
    {
        using var likelihood = new BernoulliLikelihood(BinaryLikelihood.Probit);
        double[] mu = [-1.5, 0.0, 0.7, 2.5], v = [0.3, 2.0, 0.01, 4.0];
        using var mean = tensor(mu, dtype: ScalarType.Float64).reshape(4, 1);
        using var covariance = tensor(v, dtype: ScalarType.Float64).reshape(4, 1, 1);
        var generator = new TorchSharp.torch.Generator(5);
        using var predictive = likelihood.PredictLatent(mean, covariance, new LatentPrediction(40_000, generator));
        using var p = predictive.Probabilities;
        using var members = predictive.MemberProbabilities;
        using var monteCarlo = members.mean(new long[] { 0 });
        for (int i = 0; i < 4; i++)
        {
            double expected = Phi(mu[i] / Math.Sqrt(1 + v[i]));
            Assert.Equal(expected, p[i, 1].item<double>(), 12);
            Assert.Equal(1 - expected, p[i, 0].item<double>(), 12);
            Assert.Equal(expected, monteCarlo[i, 1].item<double>(), 2);
        }
        using var mi = predictive.MutualInformation();
        Assert.True(mi.min().item<double>() >= 0 && mi[3].item<double>() > mi[2].item<double>());
    }

    [Fact]
    public void NegativeLogLikelihood_IsMinusLogLinkOfSignedLatent()
    {
        using var probit = new BernoulliLikelihood(BinaryLikelihood.Probit);
        using var logistic = new BernoulliLikelihood(BinaryLikelihood.Logistic);
        using var f = tensor(new double[] { -2, 0.5, 3 }, dtype: ScalarType.Float64).reshape(3, 1);
        using var y = tensor(new long[] { 1, 0, 1 });
        using var a = probit.NegativeLogLikelihood(f, y);
        using var b = logistic.NegativeLogLikelihood(f, y);
        double[] s = [-2, -0.5, 3];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(-Math.Log(Phi(s[i])), a[i].item<double>(), 10);
            Assert.Equal(Math.Log(1 + Math.Exp(-s[i])), b[i].item<double>(), 10);
        }
        Assert.Equal(1, probit.OutputCount(2));
        Assert.Throws<ArgumentException>(() => probit.OutputCount(3));
    }
}
