using System.ComponentModel;

namespace Occam.Inference.Swag;

/// <summary>
/// Options of MultiSWAG (Wilson &amp; Izmailov 2020): K independent SWAG runs from different
/// initialisations and data orders, predicting with the equal-weight mixture of their samples.
/// <see cref="SwagOptions.Samples"/> is the total over the members, split evenly (default 30: 6 per member at K = 5).
/// </summary>
public sealed record MultiSwagOptions : SwagOptions
{
    /// <summary>K, the independent SWAG runs (default 5).</summary>
    [Description("ensemble size K")]
    public int Members { get; init; } = 5;

    /// <summary>Train the members as one stacked network where the architecture allows (default true).</summary>
    [Description("train the members together in one batched pass where the architecture allows")]
    public bool Batched { get; init; } = true;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Members < 1) throw new ArgumentException($"MultiSWAG needs at least one member; got {Members}.", nameof(Members));
        if (Samples < Members) throw new ArgumentException($"MultiSWAG splits its {Samples} samples over {Members} members; give at least one per member.", nameof(Samples));
    }
}
