using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// Stochastic gradient Hamiltonian Monte Carlo with friction (Chen, Fox &amp; Guestrin 2014) in its
/// SGD-with-momentum form: v ← μ·v − ℓ·∇Û(θ)/N + N(0, 2(1 − μ − β̂)·ℓ·T/N), θ ← θ + v. With η = ℓ/N,
/// α = 1 − μ and mass M = I this is the paper's eq. (15), Δv = −η∇Ũ − αv + N(0, 2(α − β̂)η), whose
/// continuous-time quantities are h = √η, C = α/h and B̂ = β̂/h.
/// </summary>
public sealed record SghmcOptions : StochasticGradientOptions
{
    /// <summary>Learning rate ℓ on the per-example loss (default 0.001; from a MAP start, whose small noise makes the loss steep, 0.01 diverged on yacht): η = ℓ/N in the paper's units, h = √η.</summary>
    [OptionName("sghmc-lr"), Description("SGHMC-family: learning rate ℓ on the mean loss (η = ℓ/N, h = sqrt(η))")]
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Momentum μ = 1 − α in [0, 1) (default 0.9): the friction is C = (1 − μ)/h.</summary>
    [Description("SGHMC-family: momentum μ = 1 − α in [0, 1) (friction C = α/h)")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// β̂ = hB̂ = ½ηV̂ at the full learning rate, the estimated gradient-noise term subtracted from the injected noise,
    /// in [0, 1 − μ) (default 0); it moves with the schedule's factor, as η does.
    /// </summary>
    [Description("SGHMC-family: gradient-noise estimate β̂ = h·B̂ in [0, 1 − momentum)")]
    public double NoiseEstimate { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        SghmcParameters.Validate(LearningRate, Momentum, NoiseEstimate);
    }
}

/// <summary>The shared checks of SGHMC's parameters.</summary>
internal static class SghmcParameters
{
    public static void Validate(double learningRate, double momentum, double noiseEstimate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentException($"The SGHMC learning rate must be positive and finite; got {learningRate}.", "LearningRate");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentException($"The SGHMC momentum must lie in [0, 1) (friction α = 1 − momentum must be positive); got {momentum}.", "Momentum");
        if (!(noiseEstimate >= 0 && noiseEstimate < 1 - momentum))
            throw new ArgumentException($"The gradient-noise estimate β̂ must lie in [0, 1 − momentum = {1 - momentum:G4}) so the injected noise stays positive; got {noiseEstimate}.", "NoiseEstimate");
    }
}
