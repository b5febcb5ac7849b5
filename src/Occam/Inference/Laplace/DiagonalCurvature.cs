using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>A diagonal curvature: Π = diag(s·h + δ).</summary>
public sealed class DiagonalCurvature : ICurvature
{
    private readonly Tensor _h;

    /// <summary>Takes a copy of the diagonal h [P] (negative round-off clamped to 0).</summary>
    public DiagonalCurvature(Tensor diagonal)
    {
        ArgumentNullException.ThrowIfNull(diagonal);
        if (diagonal.dim() != 1) throw new ArgumentException($"The diagonal must be a vector; got [{string.Join(", ", diagonal.shape)}].", nameof(diagonal));
        using var scope = NewDisposeScope();
        _h = diagonal.to_type(ScalarType.Float64).clamp_min(0).clone().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public long Size => _h.shape[0];

    /// <inheritdoc />
    public string Structure => "diag";

    /// <inheritdoc />
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        return Precision(priorPrecision, scale).log().sum().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Jacobians(jacobians, Size);
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var scaled = jacobians / Precision(priorPrecision, scale);
        return scaled.matmul(jacobians.transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        var z = randn(new long[] { count, Size }, dtype: ScalarType.Float64, generator: generator);
        return (z * Precision(priorPrecision, scale).rsqrt()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        CurvatureChecks.Prior(priorPrecision, Size);
        using var scope = NewDisposeScope();
        return Precision(priorPrecision, scale).reciprocal().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor ToDense() => diag(_h);

    private Tensor Precision(Tensor priorPrecision, Tensor scale) => scale * _h + priorPrecision;

    /// <inheritdoc />
    public void Dispose() => _h.Dispose();
}
