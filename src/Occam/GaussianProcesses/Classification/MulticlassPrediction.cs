using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>A multi-class GP classifier's prediction at M inputs for C classes: float64 tensors owned by this object; sealed and idempotently disposable.</summary>
public sealed class MulticlassPrediction : IDisposable
{
    internal MulticlassPrediction(Tensor latentMean, Tensor latentCovariance, Tensor probabilities)
    {
        LatentMean = latentMean;
        LatentCovariance = latentCovariance;
        Probabilities = probabilities;
    }

    /// <summary>The approximate posterior mean of the C latent functions, [M, C].</summary>
    public Tensor LatentMean { get; }

    /// <summary>The approximate posterior covariance between the C latent functions at each input, [M, C, C].</summary>
    public Tensor LatentCovariance { get; }

    /// <summary>The predictive class probabilities E[softmax(f)] (Monte Carlo), [M, C]; rows sum to one.</summary>
    public Tensor Probabilities { get; }

    /// <summary>Releases the tensors; idempotent.</summary>
    public void Dispose()
    {
        LatentMean.Dispose();
        LatentCovariance.Dispose();
        Probabilities.Dispose();
    }
}
