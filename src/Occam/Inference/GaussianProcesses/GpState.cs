using Occam.GaussianProcesses.Classification;
using Occam.Likelihoods;
using Occam.Posteriors.Storage;

namespace Occam.Inference.GaussianProcesses;

/// <summary>Which fitted GP model a posterior holds.</summary>
public enum GpModelKind
{
    /// <summary>Exact GP regression (Rasmussen &amp; Williams 2006, Alg. 2.1).</summary>
    ExactRegression,

    /// <summary>Sparse GP regression with the collapsed bound of Titsias (2009).</summary>
    SparseRegression,

    /// <summary>Binary classification by expectation propagation with the probit likelihood.</summary>
    EpBinary,

    /// <summary>Binary classification by the Laplace approximation (logistic or probit).</summary>
    LaplaceBinary,

    /// <summary>Multi-class classification by the Laplace approximation (softmax).</summary>
    LaplaceMulticlass,

    /// <summary>
    /// A GP on (network) features with C outputs sharing one kernel, exact or with inducing inputs:
    /// regression (C = 1, learned noise) or Dirichlet-based classification (Milios et al. 2018).
    /// </summary>
    Feature,
}

/// <summary>
/// Everything besides its tensors that rebuilds a fitted GP posterior exactly: the model kind, the kernel
/// and its trained raw hyperparameters, the noise, the classification settings and, for deep kernels, the
/// feature network's spec. The method that fits a GP and the loader build the posterior from it the same
/// way, so a saved posterior predicts what the fitted one did.
/// </summary>
/// <param name="Model">The model kind.</param>
/// <param name="Kernel">The kernel spec.</param>
/// <param name="KernelRaw">The kernel's raw (log) hyperparameter values in order.</param>
/// <param name="NoiseVariance">Gaussian noise variance σ² in standardised units (regression; 0 otherwise).</param>
/// <param name="BinaryLink">The binary Laplace likelihood (EP is always probit).</param>
/// <param name="Classes">Classes C (0 for regression).</param>
/// <param name="DirichletAlpha">α_ε of Dirichlet-based classification on features.</param>
/// <param name="ConstantMean">The constant prior mean of feature models.</param>
/// <param name="Samples">Latent samples per classification prediction.</param>
/// <param name="Link">How class probabilities are formed from the latent Gaussian.</param>
/// <param name="Network">The feature network's spec (deep kernels), or null.</param>
/// <param name="Features">The feature width F (deep kernels).</param>
/// <param name="Fitting">How the hyperparameters were fitted, in words (for reports).</param>
public sealed record GpState(GpModelKind Model, GpKernelSpec Kernel, double[] KernelRaw, double NoiseVariance, BinaryLikelihood BinaryLink, int Classes,
    double DirichletAlpha, double ConstantMean, int Samples, LatentLink Link, NetworkSpecDto? Network, int Features, string Fitting)
{
    /// <summary>The likelihood that turns the latent Gaussian into a predictive.</summary>
    internal Likelihood CreateLikelihood() => Model switch
    {
        GpModelKind.ExactRegression or GpModelKind.SparseRegression => new GaussianLikelihood(Math.Sqrt(NoiseVariance), learnNoise: false),
        GpModelKind.Feature when Classes == 0 => new GaussianLikelihood(Math.Sqrt(NoiseVariance), learnNoise: false),
        GpModelKind.EpBinary => new BernoulliLikelihood(BinaryLikelihood.Probit),
        GpModelKind.LaplaceBinary => new BernoulliLikelihood(BinaryLink),
        _ => new CategoricalLikelihood(),
    };
}
