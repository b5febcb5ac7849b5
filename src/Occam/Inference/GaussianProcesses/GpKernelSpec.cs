using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Kernels;

namespace Occam.Inference.GaussianProcesses;

/// <summary>The covariance function of a GP method (always times a learned output scale).</summary>
public enum GpKernelKind
{
    /// <summary>Squared exponential (RBF), one lengthscale per input dimension (ARD) or one shared.</summary>
    [Core.Options.OptionAlias("se", "rbf")]
    SquaredExponential,

    /// <summary>Matérn ν = 5/2, ARD or shared lengthscale.</summary>
    Matern52,

    /// <summary>Matérn ν = 3/2, ARD or shared lengthscale.</summary>
    Matern32,

    /// <summary>The NNGP kernel of an infinitely wide fully connected network (depth, activation, σ_w², σ_b² fixed).</summary>
    Nngp,
}

/// <summary>
/// Which kernel a GP posterior uses and how to rebuild it: s · k₀(x, x′) with a trainable output scale s,
/// on inputs of <paramref name="Dimension"/> columns. The trained values are stored separately as the
/// raw (log) values of the kernel's hyperparameters in <see cref="Kernel.Hyperparameters"/> order.
/// </summary>
/// <param name="Kind">The base kernel.</param>
/// <param name="Dimension">Input columns D (the feature width for deep kernels).</param>
/// <param name="Ard">One lengthscale per input dimension (stationary kernels).</param>
/// <param name="Depth">NNGP hidden layers.</param>
/// <param name="Activation">NNGP activation.</param>
/// <param name="WeightVariance">NNGP σ_w².</param>
/// <param name="BiasVariance">NNGP σ_b².</param>
public sealed record GpKernelSpec(GpKernelKind Kind, int Dimension, bool Ard = true, int Depth = 2, NetworkActivation Activation = NetworkActivation.Relu,
    double WeightVariance = 2.0, double BiasVariance = 0.1)
{
    /// <summary>
    /// A new kernel (the caller owns and disposes it) with output scale <paramref name="outputscale"/> and
    /// lengthscale(s) <paramref name="lengthscale"/> for stationary kinds.
    /// </summary>
    public Kernel Build(double outputscale = 1.0, double lengthscale = 1.0)
    {
        if (Dimension < 1) throw new ArgumentException($"A kernel needs at least one input column; got {Dimension}.", nameof(Dimension));
        var lengthscales = Enumerable.Repeat(lengthscale, Ard ? Dimension : 1).ToArray();
        Kernel inner = Kind switch
        {
            GpKernelKind.SquaredExponential => new SquaredExponentialKernel(lengthscales),
            GpKernelKind.Matern52 => new MaternKernel(MaternSmoothness.FiveHalves, lengthscales),
            GpKernelKind.Matern32 => new MaternKernel(MaternSmoothness.ThreeHalves, lengthscales),
            GpKernelKind.Nngp => new NngpKernel(Depth, Activation, WeightVariance, BiasVariance),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown kernel."),
        };
        return new ScaleKernel(inner, outputscale);
    }

    /// <summary>Whether the base kernel has a lengthscale.</summary>
    public bool HasLengthscale => Kind != GpKernelKind.Nngp;

    /// <summary>A description for reports, e.g. "SE-ARD(8)".</summary>
    public string Describe() => Kind switch
    {
        GpKernelKind.Nngp => $"NNGP(depth {Depth}, {Activation}, σ_w² {WeightVariance:G3}, σ_b² {BiasVariance:G3})",
        _ => $"{(Kind == GpKernelKind.SquaredExponential ? "SE" : Kind.ToString())}{(Ard ? "-ARD" : "")}({Dimension})",
    };

    /// <summary>The raw (log) values of every hyperparameter of <paramref name="kernel"/>, in order.</summary>
    public static double[] RawValues(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return kernel.Hyperparameters.SelectMany(h => h.RawValues()).ToArray();
    }

    /// <summary>Sets every hyperparameter of <paramref name="kernel"/> from raw values in <see cref="RawValues"/> order.</summary>
    /// <exception cref="ArgumentException">The count does not match the kernel.</exception>
    public static void AssignRaw(Kernel kernel, double[] raw)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(raw);
        int total = kernel.Hyperparameters.Sum(h => h.Count);
        if (total != raw.Length) throw new ArgumentException($"The kernel has {total} hyperparameter values; got {raw.Length}.", nameof(raw));
        int offset = 0;
        foreach (var h in kernel.Hyperparameters)
        {
            h.AssignRaw(raw.AsSpan(offset, h.Count).ToArray());
            offset += h.Count;
        }
    }

    /// <summary>The output scale and lengthscale values of a kernel built by <see cref="Build"/>, for reports.</summary>
    public static IReadOnlyDictionary<string, double[]> Describe(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var result = new Dictionary<string, double[]>();
        if (kernel is ScaleKernel scale)
        {
            result["outputscale"] = scale.Outputscale.Values;
            if (scale.Base is StationaryKernel stationary) result["lengthscale"] = stationary.Lengthscale.Values;
        }
        return result;
    }
}
