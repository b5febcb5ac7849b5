using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// A kernel of the scaled distance between inputs, with one lengthscale shared by all dimensions or one
/// per dimension (automatic relevance determination, ARD): r² = Σ_d (x_d − x′_d)² / ℓ_d². k(x, x) = 1;
/// wrap it in a <see cref="ScaleKernel"/> for a signal variance.
/// </summary>
public abstract class StationaryKernel : Kernel
{
    private readonly List<Hyperparameter> _owned = new();

    /// <summary>
    /// Creates the lengthscale hyperparameter: <paramref name="lengthscales"/> with one value (default 1)
    /// is shared by every input dimension; with D values it is ARD and inputs must have D columns.
    /// </summary>
    protected StationaryKernel(string name, double[]? lengthscales)
    {
        KernelName = name;
        lengthscales = lengthscales is { Length: > 0 } ? lengthscales : [1.0];
        Lengthscale = Own(new Hyperparameter($"{name}.Lengthscale", lengthscales));
    }

    /// <summary>The kernel's name in messages and hyperparameter names.</summary>
    protected string KernelName { get; }

    /// <summary>The lengthscale(s) ℓ: one shared value or one per input dimension (ARD).</summary>
    public Hyperparameter Lengthscale { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Hyperparameter> Hyperparameters => _owned;

    /// <summary>Registers a further hyperparameter that this kernel owns.</summary>
    protected Hyperparameter Own(Hyperparameter h)
    {
        _owned.Add(h);
        return h;
    }

    /// <summary>k as a function of the scaled squared distance r² (float64, any shape) and, for kernels that need it, of r.</summary>
    protected abstract Tensor FromDistance(Tensor squaredDistance, Func<Tensor> distance);

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2)
    {
        var ell = Lengthscale.Value();
        var a = x1 / ell;
        var b = ReferenceEquals(x1, x2) ? a : x2 / ell;
        return FromDistance(Distances.Squared(a, b), () => Distances.Euclidean(a, b));
    }

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x)
    {
        var zero = zeros(x.size(0), dtype: ScalarType.Float64, device: x.device);
        return FromDistance(zero, () => zero);
    }

    /// <inheritdoc />
    protected internal override void CheckInputDimension(long dimension)
    {
        if (Lengthscale.Count > 1 && Lengthscale.Count != dimension)
            throw new ArgumentException($"{KernelName} has {Lengthscale.Count} ARD lengthscales but the inputs have {dimension} columns.", "x");
    }

    /// <inheritdoc />
    public override string ToString() => $"{KernelName}(ℓ={Format(Lengthscale)}{Describe()})";

    /// <summary>Further hyperparameters for <see cref="ToString"/> (", α=…").</summary>
    protected virtual string Describe() => "";

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        foreach (var h in _owned) h.Dispose();
    }
}
