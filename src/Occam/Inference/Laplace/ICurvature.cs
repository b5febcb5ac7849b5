using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The curvature H (GGN or empirical Fisher, symmetric PSD) of a Laplace approximation over P weights,
/// held in a structure, and the algebra of the posterior precision Π = s·H + diag(δ) built from it.
/// s &gt; 0 is a scale (it folds 1/σ² of a Gaussian likelihood, so the noise can be tuned without
/// recomputing H; usually 1) and δ [P] (all entries &gt; 0) is the prior precision.
/// Posterior code only uses these primitives, never the raw blocks; tests compare every structure
/// with <see cref="ToDense"/>.
/// Arguments: δ is a float64 tensor [P] or a scalar (0-dim, broadcast to all weights); s is a 0-dim
/// tensor. Other dtypes are converted to float64. Methods never dispose their arguments and return
/// fresh float64 tensors that the caller owns; results are differentiable w.r.t. δ and s.
/// </summary>
public interface ICurvature : IDisposable
{
    /// <summary>Number of weights P.</summary>
    long Size { get; }

    /// <summary>The structure: "full", "diag", "kron" or "lowrank".</summary>
    string Structure { get; }

    /// <summary>log det(s·H + diag(δ)), a 0-dim tensor, differentiable w.r.t. <paramref name="priorPrecision"/> and <paramref name="scale"/>.</summary>
    /// <param name="priorPrecision">δ, [P] or a scalar; entries &gt; 0.</param>
    /// <param name="scale">s, a positive scalar tensor [].</param>
    Tensor LogDeterminant(Tensor priorPrecision, Tensor scale);

    /// <summary>J Π⁻¹ Jᵀ for Jacobians J [N, O, P], giving [N, O, O] (the linearised predictive covariance).</summary>
    /// <param name="jacobians">J, [N, O, P]: N inputs, O outputs.</param>
    /// <param name="priorPrecision">δ, [P] or a scalar; entries &gt; 0.</param>
    /// <param name="scale">s, a positive scalar tensor [].</param>
    Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale);

    /// <summary><paramref name="count"/> draws of θ − θ* ~ N(0, Π⁻¹), shape [count, P].</summary>
    /// <param name="count">Number of draws (≥ 1).</param>
    /// <param name="priorPrecision">δ, [P] or a scalar; entries &gt; 0.</param>
    /// <param name="scale">s, a positive scalar tensor [].</param>
    /// <param name="generator">Random generator; the same seed gives the same draws.</param>
    Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null);

    /// <summary>The diagonal of Π⁻¹, [P]: marginal posterior variances (used to pick subnetworks).</summary>
    /// <param name="priorPrecision">δ, [P] or a scalar; entries &gt; 0.</param>
    /// <param name="scale">s, a positive scalar tensor [].</param>
    Tensor MarginalVariances(Tensor priorPrecision, Tensor scale);

    /// <summary>H as a dense float64 matrix [P, P] (for tests and small problems).</summary>
    Tensor ToDense();
}
