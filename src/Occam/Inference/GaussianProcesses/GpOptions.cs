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
public sealed record GpOptions : IMethodOptions
{
    /// <summary>The base kernel (default squared exponential), times a learned output scale.</summary>
    [Description("base kernel, times a learned output scale: squared-exponential (se), matern52 or matern32")]
    public GpKernelKind Kernel { get; init; } = GpKernelKind.SquaredExponential;

    /// <summary>One lengthscale per input dimension for regression (default true); classification searches one shared lengthscale.</summary>
    [Description("one lengthscale per input dimension (regression; classification searches one shared lengthscale)")]
    public bool Ard { get; init; } = true;

    /// <summary>The initial noise variance σ² in standardised units (default 0.1; positive).</summary>
    [Description("initial Gaussian noise variance in standardised units (positive)")]
    public double NoiseVariance { get; init; } = 0.1;

    /// <summary>L-BFGS iterations of the marginal-likelihood fit (default 100).</summary>
    [Description("L-BFGS iterations of the marginal-likelihood fit")]
    public int Iterations { get; init; } = 100;

    /// <summary>Extra random restarts of the marginal-likelihood fit (default 0).</summary>
    [Description("extra random restarts of the marginal-likelihood fit")]
    public int Restarts { get; init; }

    /// <summary>Hyperparameters are fitted on a seeded random subset of at most this many training points (default 2000); the posterior conditions on all of them.</summary>
    [Description("fit hyperparameters on a random subset of at most this many training points (the posterior uses all)")]
    public int FitPoints { get; init; } = 2000;

    /// <summary>Binary classification: expectation propagation (probit, default) or Laplace (logistic).</summary>
    [Description("binary classification: ep (probit) or laplace (logistic)")]
    public BinaryInference BinaryInference { get; init; } = BinaryInference.Ep;

    /// <summary>Latent samples per classification prediction (default 100).</summary>
    [Description("latent samples per classification prediction")]
    public int Samples { get; init; } = 100;

    /// <summary>How class probabilities are formed (default probit).</summary>
    [Description("class probabilities: probit (closed form) or monte-carlo (from the latent samples)")]
    public LatentLink Link { get; init; } = LatentLink.Probit;

    /// <inheritdoc />
    public void Validate()
    {
        GpOptionChecks.Kernel(Kernel, nameof(Kernel), "gp-nngp");
        GpOptionChecks.Positive(NoiseVariance, nameof(NoiseVariance), "The initial noise variance");
        GpOptionChecks.Fitting(Iterations, Restarts);
        if (FitPoints < 2) throw new ArgumentException($"FitPoints must be at least 2; got {FitPoints}.", nameof(FitPoints));
        GpOptionChecks.Classification(BinaryInference, Samples, Link);
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
