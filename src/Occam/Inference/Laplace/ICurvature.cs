using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The curvature H of the negative log-likelihood over P weights, held in a structure, and the
/// algebra of the posterior precision Π = s·H + diag(δ) that Laplace needs: log-determinant,
/// J Π⁻¹ Jᵀ, sampling and marginal variances, without forming a dense P×P matrix where the
/// structure avoids it. s &gt; 0 scales the curvature (1/σ² for a Gaussian likelihood) and δ [P] is
/// the prior precision. All tensors are float64; results are fresh tensors owned by the caller.
/// </summary>
public interface ICurvature : IDisposable
{
    /// <summary>P, the number of weights.</summary>
    long Size { get; }

    /// <summary>"full", "diag", "kron" or "lowrank".</summary>
    string Structure { get; }

    /// <summary>log det(s·H + diag(δ)), differentiable in <paramref name="priorPrecision"/> [P] and <paramref name="scale"/> [].</summary>
    Tensor LogDeterminant(Tensor priorPrecision, Tensor scale);

    /// <summary>J Π⁻¹ Jᵀ [N, O, O] for Jacobians J [N, O, P].</summary>
    Tensor InverseQuadraticForm(Tensor jacobians, Tensor priorPrecision, Tensor scale);

    /// <summary><paramref name="count"/> draws of θ − θ* ~ N(0, Π⁻¹), [count, P].</summary>
    Tensor Sample(int count, Tensor priorPrecision, Tensor scale, Generator? generator = null);

    /// <summary>diag(Π⁻¹) [P], the marginal posterior variances.</summary>
    Tensor MarginalVariances(Tensor priorPrecision, Tensor scale);

    /// <summary>H as a dense [P, P] matrix (tests and small problems).</summary>
    Tensor ToDense();
}
