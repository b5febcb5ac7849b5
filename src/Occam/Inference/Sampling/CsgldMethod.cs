using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>Cyclical SGLD (Zhang et al. 2020): SGLD's update on cosine cycles, noise only in each cycle's sampling stage.</summary>
public sealed class CsgldMethod : CyclicalMethod<CsgldOptions>
{
    /// <summary>Creates the method.</summary>
    public CsgldMethod(ModelSetup setup, CsgldOptions? options = null) : base("csgld", setup, options ?? new CsgldOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("csgld", "cyclical SGLD: cosine step-size cycles that explore without noise, then sample; draws kept at the end of each cycle",
        new CsgldOptions(), (setup, options) => new CsgldMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new CsgldMethod(setup, Options);

    private protected override IKernel<SamplerState> Kernel(SamplerTarget target, Func<long, bool> explore) =>
        new SgldKernel(target, Options.StepSize, Options.Temperature, explore);
}
