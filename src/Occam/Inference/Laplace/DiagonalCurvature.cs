using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A diagonal curvature H = diag(h): Π = diag(s·h + δ), so every primitive is elementwise, O(P)
/// (O(N·O²·P) for the inverse quadratic form). δ may vary per weight.
/// </summary>
public sealed class DiagonalCurvature : IFactoredCurvature
{
    private readonly Tensor _h; // [P], float64, clamped at 0
    private bool _disposed;

    /// <summary>Creates the curvature from its diagonal.</summary>
    /// <param name="diagonal">h, [P], finite; entries below zero (round-off in a PSD curvature) are clamped to 0. Copied.</param>
    public DiagonalCurvature(Tensor diagonal)
    {
        ArgumentNullException.ThrowIfNull(diagonal);
        if (diagonal.dim() != 1 || diagonal.shape[0] < 1)
            throw new ArgumentException($"Diagonal must be a vector [P] with P ≥ 1; got {CurvatureArguments.Shape(diagonal)}.", nameof(diagonal));
        using var scope = NewDisposeScope();
        var h = diagonal.detach().to_type(ScalarType.Float64);
        if (!h.isfinite().all().item<bool>()) throw new ArgumentException("Diagonal must have finite entries.", nameof(diagonal));
        _h = h.clamp_min(0.0).contiguous().DetachFromDisposeScope();
        Size = diagonal.shape[0];
    }

    /// <inheritdoc/>
    public long Size { get; }

    /// <inheritdoc/>
    public string Structure => "diag";

    /// <inheritdoc/>
    public Tensor LogDeterminant(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        return Precision(priorPrecision, scale).log().sum().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale)
    {
        Live();
        using var scope = NewDisposeScope();
        var j = CurvatureArguments.Jacobians(jacobians, Size);
        var w = j * Precision(priorPrecision, scale).rsqrt(); // [N, O, P]
        return w.matmul(w.transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null)
    {
        CurvatureArguments.Count(count);
        using var scope = NewDisposeScope();
        var sd = Precision(priorPrecision, scale).rsqrt();
        return (CurvatureArguments.StandardNormal(count, Size, generator) * sd).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor FactoredQuadraticForm(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor priorPrecision, Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Live();
        using var scope = NewDisposeScope();
        var inverse = Precision(priorPrecision, scale).reciprocal();
        Tensor? total = null;
        long offset = 0;
        foreach (var (input, gradient) in layers)
        {
            var (a, b) = FactorAlgebra.Width(input, gradient, outputs);
            if (offset + a * b > Size) throw new ArgumentException($"The layers cover more than the curvature's {Size} weights.", nameof(layers));
            if (FactorAlgebra.IsSpatial(input))
            {
                // A convolution's Jacobian sums over positions: use its dense block (small for conv layers).
                var j = FactorAlgebra.Block(input, gradient, outputs);
                var dense = (j * inverse.narrow(0, offset, a * b)).matmul(j.transpose(1, 2));
                offset += a * b;
                total = total is null ? dense : total + dense;
                continue;
            }
            var w = input.square().matmul(inverse.narrow(0, offset, a * b).view(a, b)); // [N, b]: Σᵢ ãᵢ² / πᵢⱼ
            offset += a * b;
            var part = gradient is null ? diag_embed(w) : (gradient * w.unsqueeze(1)).matmul(gradient.transpose(1, 2));
            total = total is null ? part : total + part;
        }
        if (offset != Size) throw new ArgumentException($"The layers cover {offset} weights; the curvature has {Size}.", nameof(layers));
        return total!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor MarginalVariances(Tensor priorPrecision, Tensor scale)
    {
        using var scope = NewDisposeScope();
        return Precision(priorPrecision, scale).reciprocal().MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor ToDense()
    {
        Live();
        return diag(_h);
    }

    /// <summary>The diagonal h, [P] (a copy).</summary>
    public Tensor Diagonal
    {
        get { Live(); return _h.clone(); }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _h.Dispose();
    }

    private Tensor Precision(Tensor priorPrecision, Tensor scale)
    {
        Live();
        var (delta, _) = CurvatureArguments.PriorPrecision(priorPrecision, Size);
        var s = CurvatureArguments.Scale(scale);
        return s * _h + delta;
    }

    private void Live() => ObjectDisposedException.ThrowIf(_disposed, this);
}
