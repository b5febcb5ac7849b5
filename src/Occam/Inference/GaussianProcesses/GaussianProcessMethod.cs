using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Exact Gaussian-process regression and classification ("gp") on the standardised inputs (the model's
/// network is not used). Regression: a kernel (default squared exponential with one lengthscale per input,
/// ARD) times an output scale plus Gaussian noise, fitted by maximising the exact log marginal likelihood
/// (Rasmussen &amp; Williams 2006, ch. 2 and 5); the posterior conditions on every training point.
/// Classification: binary expectation propagation (probit) or Laplace (logistic), multi-class Laplace.
/// Data too large for the dense N×N matrices are refused before any work, with the sparse method suggested.
/// </summary>
public sealed class GaussianProcessMethod : NetworkMethod<GpOptions>
{
    /// <summary>Creates the method.</summary>
    public GaussianProcessMethod(ModelSetup setup, GpOptions? options = null) : base("gp", setup, options ?? new GpOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("gp",
        "exact Gaussian process: ARD squared-exponential kernel fitted by the exact marginal likelihood; binary EP or multi-class Laplace classification",
        new GpOptions(), (setup, options) => new GaussianProcessMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new GaussianProcessMethod(setup, Options);

    /// <inheritdoc />
    protected override Likelihood LikelihoodFor(TaskKind task) => Likelihood.Default(task);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit) => GpFitting.FitExact(Name, fit, Setup, d => new GpKernelSpec(Options.Kernel, d, Options.Ard),
        new ExactSettings(Options.NoiseVariance, Options.Iterations, Options.Restarts, Options.FitPoints, Options.BinaryInference, Options.Samples, Options.Link));
}
