using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// A⁻¹ = L⁻ᵀL⁻¹ from a lower Cholesky factor L by recursive 2×2 blocking, so that almost all the work is
/// matrix multiplication: W = L⁻¹ with W₂₁ = −L₂₂⁻¹(L₂₁W₁₁) costs about n³/2 flops and WᵀW about 2n³/3,
/// against 2n³ for two triangular solves with the identity (libtorch's cholesky_inverse is several times
/// slower still on CPU). Blocks at or below the base size use triangular solves and one product.
/// </summary>
internal static class CholeskyInverse
{
    private const long DefaultBase = 256;

    /// <summary>A⁻¹ (float64 [n, n], symmetric) in the caller's dispose scope; L is not modified.</summary>
    public static Tensor FromLower(Tensor lower, long baseSize = DefaultBase)
    {
        var w = InverseLower(lower, baseSize);
        return Gram(w, baseSize);
    }

    /// <summary>L⁻¹ for lower-triangular L.</summary>
    private static Tensor InverseLower(Tensor l, long baseSize)
    {
        long n = l.size(0);
        if (n <= baseSize) return linalg.solve_triangular(l, eye(n, dtype: l.dtype, device: l.device), upper: false);
        long h = n / 2;
        var w11 = InverseLower(l.narrow(0, 0, h).narrow(1, 0, h), baseSize);
        var l22 = l.narrow(0, h, n - h).narrow(1, h, n - h);
        var w22 = InverseLower(l22, baseSize);
        var w21 = linalg.solve_triangular(l22, l.narrow(0, h, n - h).narrow(1, 0, h).mm(w11), upper: false).neg_();
        var w = zeros(n, n, dtype: l.dtype, device: l.device);
        w.narrow(0, 0, h).narrow(1, 0, h).copy_(w11);
        w.narrow(0, h, n - h).narrow(1, 0, h).copy_(w21);
        w.narrow(0, h, n - h).narrow(1, h, n - h).copy_(w22);
        return w;
    }

    /// <summary>WᵀW for lower-triangular W: [[G(W₁₁) + W₂₁ᵀW₂₁, W₂₁ᵀW₂₂], [W₂₂ᵀW₂₁, G(W₂₂)]].</summary>
    private static Tensor Gram(Tensor w, long baseSize)
    {
        long n = w.size(0);
        if (n <= baseSize) return w.T.mm(w);
        long h = n / 2;
        var w11 = w.narrow(0, 0, h).narrow(1, 0, h);
        var w21 = w.narrow(0, h, n - h).narrow(1, 0, h);
        var w22 = w.narrow(0, h, n - h).narrow(1, h, n - h);
        var result = empty(n, n, dtype: w.dtype, device: w.device);
        result.narrow(0, 0, h).narrow(1, 0, h).copy_(Gram(w11, baseSize).add_(w21.T.mm(w21)));
        var offDiagonal = w22.T.mm(w21);
        result.narrow(0, h, n - h).narrow(1, 0, h).copy_(offDiagonal);
        result.narrow(0, 0, h).narrow(1, h, n - h).copy_(offDiagonal.T);
        result.narrow(0, h, n - h).narrow(1, h, n - h).copy_(Gram(w22, baseSize));
        return result;
    }
}
