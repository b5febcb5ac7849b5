using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>A binary GP classifier's prediction at M inputs: float64 [M] tensors owned by this object; sealed and idempotently disposable.</summary>
public sealed class BinaryPrediction : IDisposable
{
    internal BinaryPrediction(Tensor latentMean, Tensor latentVariance, Tensor probability)
    {
        LatentMean = latentMean;
        LatentVariance = latentVariance;
        Probability = probability;
    }

    /// <summary>The approximate posterior mean of the latent f(x), [M].</summary>
    public Tensor LatentMean { get; }

    /// <summary>The approximate posterior variance of f(x), [M].</summary>
    public Tensor LatentVariance { get; }

    /// <summary>The predictive probability of the positive class (label 1), [M].</summary>
    public Tensor Probability { get; }

    /// <summary>Releases the tensors; idempotent.</summary>
    public void Dispose()
    {
        LatentMean.Dispose();
        LatentVariance.Dispose();
        Probability.Dispose();
    }
}
