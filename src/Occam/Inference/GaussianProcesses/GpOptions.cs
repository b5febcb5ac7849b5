using System.ComponentModel;
using Occam.Core.Options;
using Occam.Likelihoods;

namespace Occam.Inference.GaussianProcesses;

/// <summary>How a binary GP classifier approximates its posterior.</summary>
public enum BinaryInference
{
    /// <summary>Expectation propagation with the probit likelihood (Rasmussen &amp; Williams 2006, Alg. 3.5).</summary>
    Ep,

    /// <summary>The Laplace approximation with the logistic likelihood (Rasmussen &amp; Williams 2006, Alg. 3.1).</summary>
    Laplace,
}

/// <summary>
/// Options of exact GP regression and classification ("gp"). Regression fits the kernel's output scale
/// and lengthscales and the noise by maximising the exact log marginal likelihood (L-BFGS); classification
/// (binary EP or Laplace, multi-class Laplace) picks a shared lengthscale and the output scale from a grid
/// by the approximate log marginal likelihood.
/// </summary>
public sealed record GpOptions : GpMethodOptions
{
    /// <summary>Hyperparameters are fitted on a seeded random subset of at most this many training points (default 2000); the posterior conditions on all of them.</summary>
    [Description("fit hyperparameters on a random subset of at most this many training points (the posterior uses all)")]
    public int FitPoints { get; init; } = 2000;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (FitPoints < 2) throw new ArgumentException($"FitPoints must be at least 2; got {FitPoints}.", nameof(FitPoints));
    }
}

/// <summary>Checks shared by the GP methods' options; each throws <see cref="ArgumentException"/> naming the property.</summary>
internal static class GpOptionChecks
{
    public static void Kernel(GpKernelKind kernel, string name, string nngpMethod)
    {
        if (!Enum.IsDefined(kernel)) throw new ArgumentException($"Unknown kernel {kernel}.", name);
        if (kernel == GpKernelKind.Nngp) throw new ArgumentException($"The NNGP kernel is the {nngpMethod} method; choose squared-exponential, matern52 or matern32 here.", name);
    }

    public static void Positive(double value, string name, string what)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"{what} must be positive and finite; got {value}.", name);
    }

    public static void Fitting(int iterations, int restarts)
    {
        if (iterations < 1) throw new ArgumentException($"Iterations must be at least 1; got {iterations}.", "Iterations");
        if (restarts < 0) throw new ArgumentException($"Restarts must be non-negative; got {restarts}.", "Restarts");
    }

    public static void Classification(BinaryInference inference, int samples, LatentLink link)
    {
        if (!Enum.IsDefined(inference)) throw new ArgumentException($"Unknown binary inference {inference}.", "BinaryInference");
        if (samples < 1) throw new ArgumentException($"Samples must be at least 1; got {samples}.", "Samples");
        if (!Enum.IsDefined(link)) throw new ArgumentException($"Unknown link {link}.", "Link");
    }
}
