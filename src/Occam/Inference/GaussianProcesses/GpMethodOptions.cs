using System.ComponentModel;
using Occam.Core.Options;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// The options that the exact and the sparse GP share: the kernel, the noise and the marginal-likelihood
/// fit, and how classification approximates and predicts.
/// </summary>
public abstract record GpMethodOptions : IIgnoresTrainingSettings
{
    /// <summary>The base kernel (default squared exponential), times a learned output scale.</summary>
    [Description("base kernel, times a learned output scale: squared-exponential (se), matern52 or matern32")]
    public GpKernelKind Kernel { get; init; } = GpKernelKind.SquaredExponential;

    /// <summary>One lengthscale per input dimension for regression (default true).</summary>
    [Description("one lengthscale per input dimension (regression; classification searches one shared lengthscale)")]
    public bool Ard { get; init; } = true;

    /// <summary>The initial noise variance σ² in standardised units (default 0.1; positive).</summary>
    [Description("initial Gaussian noise variance in standardised units (positive)")]
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>L-BFGS iterations (default 100).</summary>
    [Description("L-BFGS iterations of the marginal-likelihood fit")]
    public int Iterations { get; init; } = 100;

    /// <summary>Extra random restarts (default 0).</summary>
    [Description("extra random restarts of the marginal-likelihood fit")]
    public int Restarts { get; init; }

    /// <summary>Binary classification: expectation propagation (probit, default) or Laplace (logistic).</summary>
    [Description("binary classification: ep (probit) or laplace (logistic)")]
    public BinaryInference BinaryInference { get; init; } = BinaryInference.Ep;

    /// <summary>Latent samples per classification prediction (default 100).</summary>
    [Description("latent samples per classification prediction")]
    public int Samples { get; init; } = 100;

    /// <summary>How class probabilities are formed (default probit).</summary>
    [Description("class probabilities: probit (closed form) or monte-carlo (from the latent samples)")]
    public LatentLink Link { get; init; } = LatentLink.Probit;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the property.</summary>
    public virtual void Validate()
    {
        GpOptionChecks.Kernel(Kernel, nameof(Kernel), "gp-nngp");
        GpOptionChecks.Positive(NoiseVariance, nameof(NoiseVariance), "The initial noise variance");
        GpOptionChecks.Fitting(Iterations, Restarts);
        GpOptionChecks.Classification(BinaryInference, Samples, Link);
    }
}
