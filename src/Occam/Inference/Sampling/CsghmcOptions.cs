using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>Cyclical SGHMC (Zhang et al. 2020): SGHMC's update (<see cref="SghmcOptions"/>) with a cosine cyclical learning rate, no noise while exploring.</summary>
public sealed record CsghmcOptions : CyclicalOptions
{
    /// <summary>Peak learning rate ℓ₀ on the per-example loss (default 0.001; from a MAP start, whose small noise makes the loss steep, 0.01 diverged on yacht).</summary>
    [OptionName("sghmc-lr"), Description("SGHMC-family: learning rate ℓ on the mean loss (η = ℓ/N, h = sqrt(η))")]
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Momentum μ = 1 − α in [0, 1) (default 0.9).</summary>
    [Description("SGHMC-family: momentum μ = 1 − α in [0, 1) (friction C = α/h)")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>β̂ = ½ηV̂ at the peak learning rate, in [0, 1 − μ) (default 0); it moves with the cyclical factor, as η does.</summary>
    [Description("SGHMC-family: gradient-noise estimate β̂ = h·B̂ in [0, 1 − momentum)")]
    public double NoiseEstimate { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        SghmcParameters.Validate(LearningRate, Momentum, NoiseEstimate);
    }
}
