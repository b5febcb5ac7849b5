using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// The top eigenpairs of a symmetric operator: <see cref="Values"/> [k] in descending order and
/// <see cref="Vectors"/> [P, k] with orthonormal columns, both float64 and owned by this object (dispose it).
/// </summary>
public sealed class Eigenpairs : IDisposable
{
    internal Eigenpairs(Tensor values, Tensor vectors, int steps)
    {
        Values = values.DetachFromDisposeScope();
        Vectors = vectors.DetachFromDisposeScope();
        Steps = steps;
    }

    /// <summary>Eigenvalues [k], descending (float64).</summary>
    public Tensor Values { get; }

    /// <summary>Eigenvectors [P, k] as columns, orthonormal (float64).</summary>
    public Tensor Vectors { get; }

    /// <summary>Lanczos steps (operator products) spent.</summary>
    public int Steps { get; }

    /// <summary>The eigenvalues as numbers, descending.</summary>
    public double[] ValuesArray() => Values.data<double>().ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        Values.Dispose();
        Vectors.Dispose();
    }
}
