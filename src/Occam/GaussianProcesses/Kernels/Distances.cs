using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>Pairwise distances between the rows of two float64 matrices, differentiable everywhere kernels need them.</summary>
internal static class Distances
{
    /// <summary>
    /// ‖aᵢ − bⱼ‖² [N1, N2] as −2abᵀ + ‖a‖² + ‖b‖² after centring both (which cancels in the difference
    /// and reduces rounding), clamped at 0; the N1×N2 work is done in place on one buffer.
    /// </summary>
    public static Tensor Squared(Tensor a, Tensor b)
    {
        bool same = ReferenceEquals(a, b);
        var centre = a.detach().mean([0], keepdim: true);
        var ac = a - centre;
        var bc = same ? ac : b - centre;
        var r2 = ac.mm(bc.T);
        r2.mul_(-2.0).add_(ac.square().sum(1, keepdim: true)).add_(bc.square().sum(1).unsqueeze(0));
        return r2.clamp_min_(0.0);
    }

    /// <summary>
    /// ‖aᵢ − bⱼ‖ [N1, N2] from explicit differences (exact 0 for equal rows), whose gradient at 0 is 0
    /// rather than NaN.
    /// </summary>
    public static Tensor Euclidean(Tensor a, Tensor b) => cdist(a, b, 2.0, compute_mode.donot_use_mm_for_euclid_dist);
}
