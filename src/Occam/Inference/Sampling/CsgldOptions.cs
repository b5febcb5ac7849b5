using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>Cyclical SGLD (Zhang et al. 2020): SGLD's update with a cosine cyclical step size, no noise while exploring.</summary>
public sealed record CsgldOptions : CyclicalOptions
{
    /// <summary>The peak step size per example ε₀ = h₀·N (default 0.01); each cycle anneals it to zero.</summary>
    [Description("SGLD-family: step size per example ε = h·N (the update's h is ε/N)")]
    public double StepSize { get; init; } = 0.01;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Positive(StepSize, nameof(StepSize), "The step size");
    }
}
