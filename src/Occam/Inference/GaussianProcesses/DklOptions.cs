using System.ComponentModel;
using Occam.Core.Options;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Options of deep kernel learning ("dkl", Wilson et al. 2016): the model's network maps inputs to F
/// features, a base kernel (times an output scale) acts on them, and the network's weights, the kernel's
/// hyperparameters and the noise are trained jointly with Adam on the log marginal likelihood: exact up
/// to <see cref="ExactLimit"/> training points, the Titsias (2009) bound with inducing inputs in feature
/// space above it. Classification uses Dirichlet-based GP classification (Milios et al. 2018), whose
/// marginal likelihood is Gaussian.
/// </summary>
public sealed record DklOptions : IIgnoresTrainingSettings
{
    /// <summary>Feature width F, the network's output width (default: 2 for regression, C for C classes).</summary>
    [Description("feature width F (the network's outputs; default 2 for regression, C for C classes)")]
    public int? FeatureWidth { get; init; }

    /// <summary>The base kernel on the features (default squared exponential with one lengthscale per feature).</summary>
    [Description("base kernel, times a learned output scale: squared-exponential (se), matern52 or matern32")]
    public GpKernelKind Kernel { get; init; } = GpKernelKind.SquaredExponential;

    /// <summary>Adam steps of the joint training, full batch (default 300).</summary>
    [Description("Adam steps of the joint marginal-likelihood training (full batch)")]
    public int Steps { get; init; } = 300;

    /// <summary>Adam's learning rate (default 0.01).</summary>
    [OptionName("dkl-lr"), Description("Adam learning rate of the joint training")]
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Training sets up to this size use the exact marginal likelihood; larger ones the sparse bound (default 1000).</summary>
    [Description("exact marginal likelihood up to this many training points, the sparse bound above")]
    public int ExactLimit { get; init; } = 1000;

    /// <summary>Inducing inputs M of the sparse bound (default 100), placed by k-means on the initial features and trained.</summary>
    [Description("inducing inputs M (k-means centres of the training inputs; at most N)")]
    public int InducingPoints { get; init; } = 100;

    /// <summary>The initial noise variance σ² in standardised units (regression; default 0.1).</summary>
    [Description("initial Gaussian noise variance in standardised units (positive)")]
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>α_ε of Dirichlet-based classification (default 0.01).</summary>
    [Description("Dirichlet classification: concentration α_ε added to every class")]
    public double DirichletAlpha { get; init; } = 0.01;

    /// <summary>Latent samples per classification prediction (default 100).</summary>
    [Description("latent samples per classification prediction")]
    public int Samples { get; init; } = 100;

    /// <summary>How class probabilities are formed (default Monte Carlo, the Dirichlet model's own predictive E[softmax f]).</summary>
    [Description("class probabilities: probit (closed form) or monte-carlo (from the latent samples)")]
    public LatentLink Link { get; init; } = LatentLink.MonteCarlo;

    /// <inheritdoc />
    public void Validate()
    {
        if (FeatureWidth is < 1) throw new ArgumentException($"The feature width must be at least 1; got {FeatureWidth}.", nameof(FeatureWidth));
        GpOptionChecks.Kernel(Kernel, nameof(Kernel), "gp-nngp");
        if (Steps < 1) throw new ArgumentException($"Steps must be at least 1; got {Steps}.", nameof(Steps));
        GpOptionChecks.Positive(LearningRate, nameof(LearningRate), "The learning rate");
        if (ExactLimit < 1) throw new ArgumentException($"ExactLimit must be at least 1; got {ExactLimit}.", nameof(ExactLimit));
        if (InducingPoints < 1) throw new ArgumentException($"InducingPoints must be at least 1; got {InducingPoints}.", nameof(InducingPoints));
        GpOptionChecks.Positive(NoiseVariance, nameof(NoiseVariance), "The initial noise variance");
        GpOptionChecks.Positive(DirichletAlpha, nameof(DirichletAlpha), "The Dirichlet concentration α_ε");
        GpOptionChecks.Classification(BinaryInference.Ep, Samples, Link);
    }
}
