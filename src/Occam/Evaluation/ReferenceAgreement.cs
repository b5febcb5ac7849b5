using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>How closely a classifier's predictive matches a reference's, averaged over the test inputs.</summary>
/// <param name="Agreement">Fraction of inputs where both predict the same class (argmax of the averaged probabilities); 1 is best.</param>
/// <param name="TotalVariation">Mean over inputs of ½ Σₖ |p(k|x) − p_ref(k|x)|, in [0, 1]; 0 is best.</param>
public sealed record ClassificationAgreement(double Agreement, double TotalVariation);

/// <summary>
/// Agreement of an approximate posterior predictive with a reference one (a long full-batch HMC run) on the
/// same inputs: the metrics of Izmailov, Vikram, Hoffman &amp; Wilson (2021), "What are Bayesian neural network
/// posteriors really like?", also the scores of the NeurIPS 2021 approximate-inference competition.
/// Classification: top-1 agreement and total variation. Regression: the Wasserstein-1 distance between
/// samples of the two predictive distributions, per input and target, averaged.
/// </summary>
public static class ReferenceAgreement
{
    /// <summary>Top-1 agreement and mean total variation of two classification predictives over the same N inputs.</summary>
    /// <exception cref="ArgumentException">Not classification, or different numbers of inputs or classes.</exception>
    public static ClassificationAgreement Classification(Predictive predictive, Predictive reference)
    {
        Check(predictive, reference, TaskKind.Classification);
        using var scope = NewDisposeScope();
        var p = predictive.Probabilities;
        var q = reference.Probabilities.to(p.device);
        double agreement = p.argmax(1).eq(q.argmax(1)).to_type(ScalarType.Float64).mean().item<double>();
        double tv = (0.5 * (p - q).abs().sum(1)).mean().item<double>();
        return new ClassificationAgreement(agreement, tv);
    }

    /// <summary>
    /// The Wasserstein-1 distance between the two regression predictives, per input and target, estimated
    /// from <paramref name="samples"/> draws of each (a draw picks a member uniformly, then adds its Gaussian
    /// noise) as the mean absolute difference of the sorted draws, and averaged over inputs and targets.
    /// In the predictives' units (original target units after <see cref="IPosterior.Predict"/>). Two sets of
    /// M draws of one distribution are about 0.5σ/√M apart on average, which is the floor of this estimate.
    /// </summary>
    /// <param name="predictive">The approximation; not disposed.</param>
    /// <param name="reference">The reference on the same inputs; not disposed.</param>
    /// <param name="samples">Draws M per input from each predictive (default 1000).</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <exception cref="ArgumentException">Not regression, different shapes, or fewer than 2 samples.</exception>
    public static double Wasserstein1(Predictive predictive, Predictive reference, int samples = 1000, long seed = 0)
    {
        Check(predictive, reference, TaskKind.Regression);
        if (samples < 2) throw new ArgumentException($"Need at least 2 draws per input; got {samples}.", nameof(samples));
        using var scope = NewDisposeScope();
        var generator = new Generator(unchecked((ulong)seed));
        var (mu, sd) = (predictive.MemberMeans, predictive.MemberVariances.sqrt());
        var (muRef, sdRef) = (reference.MemberMeans.to(mu.device), reference.MemberVariances.sqrt().to(mu.device));
        long n = mu.shape[1], chunk = Math.Max(1, 4_000_000 / ((long)samples * mu.shape[2]));
        double total = 0;
        for (long start = 0; start < n; start += chunk)
        {
            using var inner = NewDisposeScope();
            long length = Math.Min(chunk, n - start);
            var a = Draw(mu.narrow(1, start, length), sd.narrow(1, start, length), samples, generator).sort(0).Values;
            var b = Draw(muRef.narrow(1, start, length), sdRef.narrow(1, start, length), samples, generator).sort(0).Values;
            total += (a - b).abs().mean(new long[] { 0 }).sum().item<double>();
        }
        return total / (n * mu.shape[2]);
    }

    /// <summary>M draws [M, N, T] of the mixture (1/S) Σₛ N(μₛ, σₛ²) per input and target.</summary>
    private static Tensor Draw(Tensor mean, Tensor sd, int samples, Generator generator)
    {
        long[] shape = [samples, mean.shape[1], mean.shape[2]];
        var member = randint(mean.shape[0], shape, dtype: ScalarType.Int64, device: mean.device, generator: generator);
        var noise = randn(shape, dtype: ScalarType.Float64, device: mean.device, generator: generator);
        return mean.gather(0, member) + sd.gather(0, member) * noise;
    }

    private static void Check(Predictive predictive, Predictive reference, TaskKind task)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        ArgumentNullException.ThrowIfNull(reference);
        string kind = task.ToString().ToLowerInvariant();
        if (predictive.Task != task || reference.Task != task)
            throw new ArgumentException($"Both predictives must be for {kind}; got {predictive.Task.ToString().ToLowerInvariant()} and {reference.Task.ToString().ToLowerInvariant()}.", nameof(reference));
        if (predictive.Count != reference.Count || predictive.Width != reference.Width)
            throw new ArgumentException($"The predictives must cover the same inputs and outputs; got [{predictive.Count}, {predictive.Width}] and [{reference.Count}, {reference.Width}].", nameof(reference));
    }
}
