using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>SGHMC with friction (Chen et al. 2014): see <see cref="SghmcKernel"/> and <see cref="SghmcOptions"/>.</summary>
public sealed class SghmcMethod : StochasticGradientMethod<SghmcOptions>
{
    /// <summary>Creates the method.</summary>
    public SghmcMethod(ModelSetup setup, SghmcOptions? options = null) : base("sghmc", setup, options ?? new SghmcOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("sghmc", "stochastic gradient HMC with friction: SGD with momentum plus calibrated noise, K chains, kept draws averaged",
        new SghmcOptions(), (setup, options) => new SghmcMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SghmcMethod(setup, Options);

    private protected override IKernel<SamplerState> Kernel(SamplerTarget target) =>
        new SghmcKernel(target, Options.LearningRate, Options.Momentum, Options.NoiseEstimate, Options.Temperature);
}
