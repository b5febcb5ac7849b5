using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Checks and converts the arguments every <see cref="ICurvature"/> takes (prior precision δ, scale s,
/// Jacobians), in C# before anything reaches libtorch. Results are float64 views or copies created in
/// the caller's dispose scope; gradients flow through the conversions.
/// </summary>
internal static class CurvatureArguments
{
    /// <summary>Relative spread below which a prior precision counts as one constant value.</summary>
    private const double ConstantTolerance = 1e-12;

    /// <summary>Formats a shape as "[a, b]" for error messages.</summary>
    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    /// <summary>
    /// δ as float64 [P] (a 0-dim or one-element δ is expanded), and its values in C# for validation.
    /// Every entry must be positive and finite.
    /// </summary>
    public static (Tensor Delta, double[] Values) PriorPrecision(Tensor priorPrecision, long size)
    {
        ArgumentNullException.ThrowIfNull(priorPrecision);
        bool scalar = priorPrecision.dim() == 0 || (priorPrecision.dim() == 1 && priorPrecision.shape[0] == 1);
        if (!scalar && (priorPrecision.dim() != 1 || priorPrecision.shape[0] != size))
            throw new ArgumentException($"Prior precision must be [{size}] (one entry per weight) or a scalar; got {Shape(priorPrecision)}.", nameof(priorPrecision));
        var delta = priorPrecision.to_type(ScalarType.Float64).reshape(-1);
        var values = delta.detach().cpu().data<double>().ToArray();
        foreach (var v in values)
            if (!(v > 0) || !double.IsFinite(v))
                throw new ArgumentException($"Prior precision entries must be positive and finite; got {v}.", nameof(priorPrecision));
        if (scalar) delta = delta.expand(size);
        return (delta, scalar ? Enumerable.Repeat(values[0], (int)Math.Min(size, int.MaxValue)).ToArray() : values);
    }

    /// <summary>True when the original δ is one value broadcast to all weights (0-dim, one element, or an expanded view).</summary>
    public static bool IsBroadcast(Tensor priorPrecision) =>
        priorPrecision.dim() == 0 || priorPrecision.numel() == 1 || (priorPrecision.dim() == 1 && priorPrecision.stride(0) == 0);

    /// <summary>Whether <paramref name="values"/>[offset, offset + length) hold one value (to a relative 1e-12).</summary>
    public static bool IsConstant(double[] values, long offset, long length)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (long i = offset; i < offset + length; i++)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }
        return max - min <= ConstantTolerance * max;
    }

    /// <summary>s as a float64 0-dim tensor; it must hold one positive finite value.</summary>
    public static Tensor Scale(Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        if (scale.numel() != 1)
            throw new ArgumentException($"Scale must be a scalar tensor []; got {Shape(scale)}.", nameof(scale));
        var s = scale.to_type(ScalarType.Float64).reshape(Array.Empty<long>());
        var v = s.detach().cpu().item<double>();
        if (!(v > 0) || !double.IsFinite(v))
            throw new ArgumentException($"Scale must be positive and finite; got {v}.", nameof(scale));
        return s;
    }

    /// <summary>J as float64 [N, O, P].</summary>
    public static Tensor Jacobians(Tensor jacobians, long size)
    {
        ArgumentNullException.ThrowIfNull(jacobians);
        if (jacobians.dim() != 3 || jacobians.shape[2] != size)
            throw new ArgumentException($"Jacobians must be [N, O, {size}]; got {Shape(jacobians)}.", nameof(jacobians));
        return jacobians.to_type(ScalarType.Float64);
    }

    /// <summary>Checks a sample count.</summary>
    public static void Count(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"Sample count must be at least 1; got {count}.");
    }

    /// <summary>Standard normal draws [count, P], float64.</summary>
    public static Tensor StandardNormal(int count, long size, Generator? generator) =>
        randn(new long[] { count, size }, ScalarType.Float64, generator: generator);

    /// <summary>A square float64 copy of a matrix argument, symmetrised as (M + Mᵀ)/2, detached from any graph.</summary>
    public static Tensor SymmetricMatrix(Tensor matrix, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1] || matrix.shape[0] < 1)
            throw new ArgumentException($"{name} must be a square matrix [n, n] with n ≥ 1; got {Shape(matrix)}.", name);
        var m = matrix.detach().to_type(ScalarType.Float64);
        if (!m.isfinite().all().item<bool>())
            throw new ArgumentException($"{name} must have finite entries.", name);
        return (0.5 * (m + m.T)).contiguous();
    }
}
