using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// Stochastic gradient Langevin dynamics (Welling &amp; Teh 2011): θ ← θ − (h/2)∇Û(θ) + ξ, ξ ~ N(0, hT·I),
/// with ∇Û = −(N/n) Σᵢ ∇log p(yᵢ|xᵢ, θ) − ∇log p(θ) over a mini-batch of n.
/// </summary>
public sealed record SgldOptions : StochasticGradientOptions
{
    /// <summary>
    /// The step size per example ε = h·N (default 0.01): the h of the update is ε/N, so one value serves
    /// datasets of any size; the drift is then (ε/2)·(mean-loss gradient), an SGD step of learning rate ε/2,
    /// and the noise variance is εT/N. It is the first step's size under a decaying or cyclical schedule.
    /// </summary>
    [Description("SGLD-family: step size per example ε = h·N (the update's h is ε/N)")]
    public double StepSize { get; init; } = 0.01;

    /// <summary>For tests only: a deliberately wrong update, to show that the ground-truth test catches it.</summary>
    internal SgldDefect Defect { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Positive(StepSize, nameof(StepSize), "The step size");
    }
}

/// <summary>Deliberately broken SGLD updates that the ground-truth test must reject.</summary>
internal enum SgldDefect
{
    /// <summary>The correct update.</summary>
    None,

    /// <summary>Noise variance h/2 instead of h.</summary>
    HalfNoiseVariance,

    /// <summary>The mini-batch sum not scaled by N/n.</summary>
    NoBatchScaling,

    /// <summary>Drift h∇Û instead of (h/2)∇Û.</summary>
    MissingHalf,
}
