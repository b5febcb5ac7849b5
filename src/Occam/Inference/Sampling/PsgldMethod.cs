using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>Preconditioned SGLD with RMSprop (Li et al. 2016): see <see cref="PreconditionedSgldKernel"/> and <see cref="PsgldOptions"/>.</summary>
public sealed class PsgldMethod : StochasticGradientMethod<PsgldOptions>
{
    /// <summary>Creates the method.</summary>
    public PsgldMethod(ModelSetup setup, PsgldOptions? options = null) : base("psgld", setup, options ?? new PsgldOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("psgld", "preconditioned SGLD: SGLD with an RMSprop preconditioner on the step and the noise",
        new PsgldOptions(), (setup, options) => new PsgldMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new PsgldMethod(setup, Options);

    private protected override IKernel<SamplerState> Kernel(SamplerTarget target) =>
        new PreconditionedSgldKernel(target, Options.StepSize, Options.RmspropDecay, Options.PreconditionerFloor, Options.Temperature);
}
