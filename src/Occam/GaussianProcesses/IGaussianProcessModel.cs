using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// What every fitted GP model offers a posterior wrapper: the Gaussian over its latent outputs at new
/// inputs and its (approximate) log marginal likelihood. Models are sealed and idempotently disposable;
/// they do not own the kernel they were given.
/// </summary>
public interface IGaussianProcessModel : IDisposable
{
    /// <summary>The number of latent outputs O per input (1 for regression and binary classification, C for C classes).</summary>
    int Outputs { get; }

    /// <summary>
    /// The latent (noise-free) posterior at <paramref name="x"/> (float64 [N, D]): mean [N, O] and,
    /// per input, the covariance between its outputs [N, O, O]. Both are new float64 tensors the caller
    /// owns and disposes; <paramref name="x"/> is not disposed.
    /// </summary>
    (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x);

    /// <summary>The log marginal likelihood (or its bound or approximation) at the current hyperparameters, with its parts.</summary>
    MarginalLikelihood LogMarginalLikelihood();
}
