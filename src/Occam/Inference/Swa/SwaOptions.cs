using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Swa;

/// <summary>Options of stochastic weight averaging.</summary>
public sealed record SwaOptions : IMethodOptions
{
    /// <summary>
    /// The epoch from which the iterates are averaged (0-based; default null: 75% of the training epochs,
    /// as in Izmailov et al. 2018). Before it the model trains as usual, with the setup's schedule.
    /// </summary>
    [Description("SWA: first averaged epoch (default: 75% of the training epochs)")]
    public int? StartEpoch { get; init; }

    /// <summary>The constant learning rate of the averaging phase (default null: the setup's learning rate).</summary>
    [Description("SWA: constant learning rate of the averaging phase (default: the training learning rate)")]
    public double? SwaLearningRate { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        if (StartEpoch is < 0) throw new ArgumentException($"The start epoch must be non-negative; got {StartEpoch}.", nameof(StartEpoch));
        if (SwaLearningRate is { } lr && (!(lr > 0) || !double.IsFinite(lr))) throw new ArgumentException($"The SWA learning rate must be positive; got {lr}.", nameof(SwaLearningRate));
    }
}
