using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>Pairwise distances between the rows of two float64 matrices, differentiable everywhere kernels need them.</summary>
internal static class Distances
{
    /// <summary>
    /// ‖aᵢ − bⱼ‖² [N1, N2] via ‖a‖² + ‖b‖² − 2abᵀ after centring both (which cancels in the difference and
    /// reduces rounding), clamped at 0. When a and b are the same tensor the diagonal is exactly 0.
    /// </summary>
    public static Tensor Squared(Tensor a, Tensor b)
    {
        bool same = ReferenceEquals(a, b);
        var centre = a.detach().mean([0], keepdim: true);
        var ac = a - centre;
        var bc = same ? ac : b - centre;
        var r2 = (ac.square().sum(1, keepdim: true) + bc.square().sum(1).unsqueeze(0) - 2.0 * ac.mm(bc.T)).clamp_min(0.0);
        if (same)
        {
            var diagonal = eye(a.size(0), dtype: ScalarType.Bool, device: a.device);
            r2 = r2.masked_fill(diagonal, 0.0);
        }
        return r2;
    }

    /// <summary>
    /// ‖aᵢ − bⱼ‖ [N1, N2] from explicit differences (exact 0 for equal rows), whose gradient at 0 is 0
    /// rather than NaN.
    /// </summary>
    public static Tensor Euclidean(Tensor a, Tensor b) => cdist(a, b, 2.0, compute_mode.donot_use_mm_for_euclid_dist);
}
