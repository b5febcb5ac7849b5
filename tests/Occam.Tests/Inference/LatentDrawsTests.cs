using Occam.Inference;
using Occam.Likelihoods;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

/// <summary>Latent categorical predictives draw their members on first use; the draws must be the right Gaussian and stable under slicing and joining.</summary>
public sealed class LatentDrawsTests
{
    private static (Tensor Mean, Tensor Covariance) Latents(int n, int classes, long seed)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var mean = randn(new long[] { n, classes }, dtype: ScalarType.Float64, generator: generator);
        var root = randn(new long[] { n, classes, classes }, dtype: ScalarType.Float64, generator: generator);
        return (mean, root.matmul(root.transpose(1, 2)) + 0.1 * eye(classes, dtype: ScalarType.Float64));
    }

    [Fact]
    public void Members_AreDrawsOfTheLatentGaussian_WithinMonteCarloError()
    {
        using var scope = NewDisposeScope();
        const int samples = 20_000;
        var (mean, covariance) = Latents(2, 3, 5);
        using var p = new CategoricalLikelihood().PredictLatent(mean, covariance, new LatentPrediction(samples, new TorchSharp.torch.Generator(9)));
        // log pₛ,c − log pₛ,0 = f_c − f_0: a linear map of the latent draw, with known mean and covariance.
        var logp = p.MemberProbabilities.log();
        var contrast = logp.narrow(2, 1, 2) - logp.narrow(2, 0, 1); // [S, N, 2]
        var map = tensor(new double[] { -1, 1, 0, -1, 0, 1 }, ScalarType.Float64).view(2, 3);
        for (int i = 0; i < 2; i++)
        {
            var d = contrast.select(1, i);
            var expectedMean = map.matmul(mean[i]);
            var expectedCov = map.matmul(covariance[i]).matmul(map.T);
            var sd = expectedCov.diagonal().sqrt();
            Assert.True(((d.mean(new long[] { 0 }) - expectedMean).abs() / (sd / Math.Sqrt(samples))).max().item<double>() < 4.5, "mean within 4.5 standard errors");
            var centred = d - d.mean(new long[] { 0 });
            var empirical = centred.T.matmul(centred) / (samples - 1);
            var scale = sd.outer(sd);
            // Each covariance entry's Monte Carlo error is at most about √(2/S) of σᵢσⱼ.
            Assert.True(((empirical - expectedCov).abs() / scale).max().item<double>() < 4.5 * Math.Sqrt(2.0 / samples), "covariance within Monte Carlo error, off-diagonal included");
        }
    }

    [Fact]
    public void SlicingAndJoining_KeepEachInputsDraws_DrawnOrNot()
    {
        using var scope = NewDisposeScope();
        var (mean, covariance) = Latents(10, 4, 6);
        var likelihood = new CategoricalLikelihood();
        using var whole = likelihood.PredictLatent(mean, covariance, new LatentPrediction(30, new TorchSharp.torch.Generator(2)));
        using var undrawnSlice = whole.Slice(3, 4);
        var members = whole.MemberProbabilities;
        Assert.True(whole.MemberProbabilities.Same(members), "the draws are made once");
        Assert.True(undrawnSlice.MemberProbabilities.Same(members.narrow(1, 3, 4)), "a slice made before drawing has the same draws");
        using var drawnSlice = whole.Slice(3, 4);
        Assert.True(drawnSlice.MemberProbabilities.Same(members.narrow(1, 3, 4)), "a slice made after drawing has the same draws");
        using var head = whole.Slice(0, 3);
        using var tail = whole.Slice(3, 7);
        using var joined = Predictive.Join([head, tail]);
        Assert.True(joined.MemberProbabilities.Same(members), "joining slices restores the draws");
        Assert.True(joined.MutualInformation().Same(whole.MutualInformation()));
        using var again = likelihood.PredictLatent(mean, covariance, new LatentPrediction(30, new TorchSharp.torch.Generator(2)));
        Assert.True(again.MemberProbabilities.Same(members), "same generator seed, same draws");
        using var other = likelihood.PredictLatent(mean, covariance, new LatentPrediction(30, new TorchSharp.torch.Generator(3)));
        Assert.False(other.MemberProbabilities.Same(members), "another seed, other draws");
    }
}

internal static class TensorIdentity
{
    /// <summary>True when both tensors have one shape and identical elements.</summary>
    public static bool Same(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
