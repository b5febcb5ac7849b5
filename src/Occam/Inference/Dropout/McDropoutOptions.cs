using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Dropout;

/// <summary>Options of MC dropout.</summary>
public sealed record McDropoutOptions : IMethodOptions
{
    /// <summary>Dropout rate given to Occam's networks that have none (default 0.05); a network with its own dropout keeps its rates.</summary>
    [Description("dropout rate for Occam's networks without dropout (a network with dropout layers keeps its own)")]
    public double DropoutRate { get; init; } = 0.05;

    /// <summary>Stochastic passes S per prediction (default 100).</summary>
    [Description("stochastic passes (or weight samples) averaged per prediction")]
    public int Samples { get; init; } = 100;

    /// <inheritdoc />
    public void Validate()
    {
        if (!(DropoutRate > 0 && DropoutRate < 1)) throw new ArgumentException($"The dropout rate must lie in (0, 1); got {DropoutRate}.", nameof(DropoutRate));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
    }
}
