using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>Cyclical SGHMC (Zhang et al. 2020): SGHMC's update on cosine cycles, noise only in each cycle's sampling stage.</summary>
public sealed class CsghmcMethod : CyclicalMethod<CsghmcOptions>
{
    /// <summary>Creates the method.</summary>
    public CsghmcMethod(ModelSetup setup, CsghmcOptions? options = null) : base("csghmc", setup, options ?? new CsghmcOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("csghmc", "cyclical SGHMC: cosine learning-rate cycles of SGD with momentum that explore, then sample; draws kept at the end of each cycle",
        new CsghmcOptions(), (setup, options) => new CsghmcMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new CsghmcMethod(setup, Options);

    private protected override IKernel<SamplerState> Kernel(SamplerTarget target, Func<long, bool> explore) =>
        new SghmcKernel(target, Options.LearningRate, Options.Momentum, Options.NoiseEstimate, Options.Temperature, explore);
}
