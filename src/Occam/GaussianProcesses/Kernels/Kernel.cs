using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// A covariance function k(x, x′) on float64 inputs [N, D]. Kernels compose: <c>a + b</c> is their sum,
/// <c>a * b</c> their product and <see cref="ScaleKernel"/> multiplies by a trainable output scale; a
/// composite owns its parts and disposes them with itself. Trainable hyperparameters are
/// <see cref="Hyperparameter"/> objects whose raw float64 tensors (log-values for positive ones) an
/// optimiser trains. Derived kernels implement <see cref="MatrixCore"/> and <see cref="DiagonalCore"/>
/// on inputs that have already been checked.
/// </summary>
public abstract class Kernel : IDisposable
{
    private bool _disposed;

    /// <summary>
    /// The covariance matrix k(x1, x2): float64 [N1, N2], in the autograd graph of the hyperparameters;
    /// a new tensor the caller owns. The inputs (float64 [N1, D] and [N2, D]) are checked, not disposed.
    /// </summary>
    public Tensor Matrix(Tensor x1, Tensor x2)
    {
        ThrowIfDisposed();
        GpChecks.InputPair(x1, x2);
        CheckInputDimension(x1.size(1));
        using var scope = NewDisposeScope();
        return MatrixCore(x1, x2).MoveToOuterDisposeScope();
    }

    /// <summary>The diagonal k(xᵢ, xᵢ): float64 [N], a new tensor the caller owns; <paramref name="x"/> (float64 [N, D]) is not disposed.</summary>
    public Tensor Diagonal(Tensor x)
    {
        ThrowIfDisposed();
        GpChecks.Inputs(x, nameof(x));
        CheckInputDimension(x.size(1));
        using var scope = NewDisposeScope();
        return DiagonalCore(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The trainable hyperparameters, each listed once (a kernel used twice in a composite shares them).
    /// The kernel owns them; do not dispose them.
    /// </summary>
    public abstract IReadOnlyList<Hyperparameter> Hyperparameters { get; }

    /// <summary>The raw (unconstrained, float64, requires-grad) tensors of <see cref="Hyperparameters"/>, to hand to an optimiser; owned by the kernel.</summary>
    public IReadOnlyList<Tensor> Parameters => Hyperparameters.Select(h => h.Raw).ToList();

    /// <summary>A short description with the current hyperparameter values.</summary>
    public abstract override string ToString();

    /// <summary>Sum of two kernels; the result owns both.</summary>
    public static Kernel operator +(Kernel left, Kernel right) => new SumKernel(left, right);

    /// <summary>Product of two kernels; the result owns both.</summary>
    public static Kernel operator *(Kernel left, Kernel right) => new ProductKernel(left, right);

    /// <summary>
    /// k(x1, x2) for checked inputs, as a tensor in the caller's dispose scope. It must be a new tensor
    /// that no one else holds: when no autograd graph is recorded, callers may modify it in place.
    /// </summary>
    protected internal abstract Tensor MatrixCore(Tensor x1, Tensor x2);

    /// <summary>k(xᵢ, xᵢ) for checked inputs, as a new tensor in the caller's dispose scope (callers may modify it in place).</summary>
    protected internal abstract Tensor DiagonalCore(Tensor x);

    /// <summary>Throws <see cref="ArgumentException"/> when the kernel cannot take inputs with <paramref name="dimension"/> columns.</summary>
    protected internal virtual void CheckInputDimension(long dimension) { }

    /// <summary>Releases what the kernel owns (its hyperparameters, or its parts for a composite).</summary>
    protected abstract void DisposeCore();

    /// <summary>Throws <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases the kernel; idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Formats a hyperparameter's values for <see cref="ToString"/>.</summary>
    protected static string Format(Hyperparameter h) =>
        h.Count == 1 ? h.Scalar.ToString("g4", System.Globalization.CultureInfo.InvariantCulture)
                     : "[" + string.Join(", ", h.Values.Select(v => v.ToString("g4", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
