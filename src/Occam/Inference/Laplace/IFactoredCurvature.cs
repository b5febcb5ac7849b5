using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// A layer-wise curvature (diagonal or KFAC over whole layers) that can work with the factored
/// Jacobian of each layer, J_l = ã ⊗ G (layer input ⊗ output Jacobian of its pre-activation),
/// instead of the dense [N, O, P] Jacobian: J Π⁻¹ Jᵀ then costs O(a² + a·b + O·b²) per example
/// and layer rather than O(O·a·b·(a + b)), and never materialises a per-example weight vector.
/// </summary>
public interface IFactoredCurvature : ICurvature
{
    /// <summary>
    /// J Π⁻¹ Jᵀ [N, O, O] from per-layer factors: augmented inputs ã [N, a] and output Jacobians
    /// G [N, O, b] (null: the identity, for the last layer); for a convolution, its zero-padded input
    /// image [N, C, H + 2p, W + 2p] and G [N, O, b, H', W'] over its T = H'·W' output positions
    /// (J_l = Σ_t ã_t ⊗ G_t with ã_t the augmented patch at t, taps in <c>unfold</c>'s order).
    /// </summary>
    Tensor FactoredQuadraticForm(IReadOnlyList<(Tensor Input, Tensor? Gradient)> layers, int outputs, Tensor priorPrecision, Tensor scale);
}
