using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>Argument checks shared by the curvature structures (before anything reaches libtorch).</summary>
internal static class CurvatureChecks
{
    public static void Prior(Tensor priorPrecision, long size)
    {
        ArgumentNullException.ThrowIfNull(priorPrecision);
        if (priorPrecision.dim() != 1 || priorPrecision.shape[0] != size)
            throw new ArgumentException($"Prior precision must be a vector [{size}]; got [{string.Join(", ", priorPrecision.shape)}].", nameof(priorPrecision));
    }

    public static void Jacobians(Tensor jacobians, long size)
    {
        ArgumentNullException.ThrowIfNull(jacobians);
        if (jacobians.dim() != 3 || jacobians.shape[2] != size)
            throw new ArgumentException($"Jacobians must be [N, O, {size}]; got [{string.Join(", ", jacobians.shape)}].", nameof(jacobians));
    }

    /// <summary>The single value of a prior vector that must be constant (KFAC blocks, low rank).</summary>
    public static Tensor Constant(Tensor segment, string structure)
    {
        using var scope = NewDisposeScope();
        if (segment.numel() > 1 && !(segment.max() - segment.min()).le(1e-12 * segment.abs().max().item<double>()).item<bool>())
            throw new ArgumentException($"The {structure} structure needs one prior precision per layer (KFAC) or one overall (low rank), not per weight.");
        return segment[0].MoveToOuterDisposeScope();
    }
}
