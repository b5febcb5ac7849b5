using System.ComponentModel;
using Occam.Core.Options;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Options of sparse GP regression ("sgpr", Titsias 2009): M inducing inputs placed by k-means, the
/// hyperparameters (and optionally the inducing inputs) fitted by maximising the collapsed variational
/// bound with L-BFGS. On classification data it runs the exact GP classifier on a seeded random subset of
/// M training points (the subset-of-data approximation, Rasmussen &amp; Williams 2006, §8.3.3).
/// </summary>
public sealed record SgprOptions : IMethodOptions
{
    /// <summary>The base kernel (default squared exponential), times a learned output scale.</summary>
    [Description("base kernel, times a learned output scale: squared-exponential (se), matern52 or matern32")]
    public GpKernelKind Kernel { get; init; } = GpKernelKind.SquaredExponential;

    /// <summary>One lengthscale per input dimension for regression (default true).</summary>
    [Description("one lengthscale per input dimension (regression; classification searches one shared lengthscale)")]
    public bool Ard { get; init; } = true;

    /// <summary>Inducing inputs M (default 100; at most N).</summary>
    [Description("inducing inputs M (k-means centres of the training inputs; at most N)")]
    public int InducingPoints { get; init; } = 100;

    /// <summary>Whether the fit also moves the inducing inputs (default false).</summary>
    [Description("also optimise the inducing inputs")]
    public bool TrainInducing { get; init; }

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

    /// <inheritdoc />
    public void Validate()
    {
        GpOptionChecks.Kernel(Kernel, nameof(Kernel), "gp-nngp");
        if (InducingPoints < 1) throw new ArgumentException($"InducingPoints must be at least 1; got {InducingPoints}.", nameof(InducingPoints));
        GpOptionChecks.Positive(NoiseVariance, nameof(NoiseVariance), "The initial noise variance");
        GpOptionChecks.Fitting(Iterations, Restarts);
        GpOptionChecks.Classification(BinaryInference, Samples, Link);
    }
}
