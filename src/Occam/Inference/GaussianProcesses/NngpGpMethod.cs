using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// The neural-network Gaussian process ("gp-nngp", Lee et al. 2018): exact GP regression or
/// classification with the kernel of an infinitely wide fully connected network (fixed depth, activation,
/// σ_w², σ_b²) times a learned output scale, on the standardised inputs.
/// </summary>
public sealed class NngpGpMethod : NetworkMethod<NngpGpOptions>
{
    /// <summary>Creates the method.</summary>
    public NngpGpMethod(ModelSetup setup, NngpGpOptions? options = null) : base("gp-nngp", setup, options ?? new NngpGpOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("gp-nngp",
        "NNGP: exact Gaussian process with the kernel of an infinitely wide ReLU network (Lee et al. 2018)",
        new NngpGpOptions(), (setup, options) => new NngpGpMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new NngpGpMethod(setup, Options);

    /// <inheritdoc />
    protected override Likelihood LikelihoodFor(TaskKind task) => Likelihood.Default(task);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit) => GpFitting.FitExact(Name, fit, Setup,
        d => new GpKernelSpec(GpKernelKind.Nngp, d, false, Options.Depth, Options.Activation, Options.WeightVariance, Options.BiasVariance),
        new ExactSettings(Options.NoiseVariance, Options.Iterations, 0, Options.FitPoints, Options.BinaryInference, Options.Samples, Options.Link));
}
