using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>SGLD (Welling &amp; Teh 2011): see <see cref="SgldKernel"/> and <see cref="SgldOptions"/>.</summary>
public sealed class SgldMethod : StochasticGradientMethod<SgldOptions>
{
    /// <summary>Creates the method.</summary>
    public SgldMethod(ModelSetup setup, SgldOptions? options = null) : base("sgld", setup, options ?? new SgldOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("sgld", "stochastic gradient Langevin dynamics: mini-batch gradient steps plus Gaussian noise, K chains, kept draws averaged",
        new SgldOptions(), (setup, options) => new SgldMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new SgldMethod(setup, Options);

    private protected override IKernel<SamplerState> Kernel(SamplerTarget target) =>
        new SgldKernel(target, Options.StepSize, Options.Temperature) { Defect = Options.Defect };
}
