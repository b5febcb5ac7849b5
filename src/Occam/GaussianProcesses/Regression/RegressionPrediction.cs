using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Regression;

/// <summary>
/// A GP regression prediction at M inputs: float64 [M] tensors owned by this object (disposed with it);
/// sealed and idempotently disposable.
/// </summary>
public sealed class RegressionPrediction : IDisposable
{
    internal RegressionPrediction(Tensor mean, Tensor latentVariance, Tensor noisyVariance)
    {
        Mean = mean;
        LatentVariance = latentVariance;
        NoisyVariance = noisyVariance;
    }

    /// <summary>The posterior mean of f(x) (and of y), [M].</summary>
    public Tensor Mean { get; }

    /// <summary>The posterior variance of the latent f(x) (epistemic), [M].</summary>
    public Tensor LatentVariance { get; }

    /// <summary>The predictive variance of a new noisy observation y = f(x) + ε: latent variance + σ², [M].</summary>
    public Tensor NoisyVariance { get; }

    /// <summary>Releases the tensors; idempotent.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        LatentVariance.Dispose();
        NoisyVariance.Dispose();
    }
}
