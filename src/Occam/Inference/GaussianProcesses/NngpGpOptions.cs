using System.ComponentModel;
using Occam.Core.Options;
using Occam.GaussianProcesses.Kernels;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Options of the NNGP ("gp-nngp"): a GP whose kernel is that of an infinitely wide fully connected
/// network (Neal 1996; Lee et al. 2018) with fixed depth, activation and weight and bias variances, times
/// a learned output scale; regression fits the output scale and the noise by the exact marginal
/// likelihood, classification picks the output scale from a grid by the approximate marginal likelihood.
/// </summary>
public sealed record NngpGpOptions : IIgnoresTrainingSettings
{
    /// <summary>Hidden layers of the infinitely wide network (default 2).</summary>
    [Description("hidden layers of the infinitely wide network")]
    public int Depth { get; init; } = 2;

    /// <summary>Its activation (default ReLU).</summary>
    [OptionName("nngp-activation"), Description("activation of the infinitely wide network: relu or erf")]
    public NetworkActivation Activation { get; init; } = NetworkActivation.Relu;

    /// <summary>σ_w²: weights are N(0, σ_w²/fan_in) (default 2).</summary>
    [Description("weight variance σ_w² (weights N(0, σ_w²/fan_in))")]
    public double WeightVariance { get; init; } = 2.0;

    /// <summary>σ_b²: biases are N(0, σ_b²) (default 0.1).</summary>
    [Description("bias variance σ_b² (biases N(0, σ_b²))")]
    public double BiasVariance { get; init; } = 0.1;

    /// <summary>The initial noise variance σ² in standardised units (default 0.1; positive).</summary>
    [Description("initial Gaussian noise variance in standardised units (positive)")]
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>L-BFGS iterations (default 100).</summary>
    [Description("L-BFGS iterations of the marginal-likelihood fit")]
    public int Iterations { get; init; } = 100;

    /// <summary>Hyperparameters are fitted on a seeded random subset of at most this many points (default 2000).</summary>
    [Description("fit hyperparameters on a random subset of at most this many training points (the posterior uses all)")]
    public int FitPoints { get; init; } = 2000;

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
        if (Depth < 1) throw new ArgumentException($"Depth must be at least 1; got {Depth}.", nameof(Depth));
        if (!Enum.IsDefined(Activation)) throw new ArgumentException($"Unknown activation {Activation}.", nameof(Activation));
        GpOptionChecks.Positive(WeightVariance, nameof(WeightVariance), "The weight variance σ_w²");
        if (!(BiasVariance >= 0) || !double.IsFinite(BiasVariance)) throw new ArgumentException($"The bias variance σ_b² must be non-negative and finite; got {BiasVariance}.", nameof(BiasVariance));
        GpOptionChecks.Positive(NoiseVariance, nameof(NoiseVariance), "The initial noise variance");
        GpOptionChecks.Fitting(Iterations, 0);
        if (FitPoints < 2) throw new ArgumentException($"FitPoints must be at least 2; got {FitPoints}.", nameof(FitPoints));
        GpOptionChecks.Classification(BinaryInference, Samples, Link);
    }
}
