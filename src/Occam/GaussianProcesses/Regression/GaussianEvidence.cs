using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Regression;

/// <summary>
/// log N(r | 0, A) = −½ rᵀA⁻¹r − ½ log|A| − (N/2) log 2π for a covariance A(θ) and residual r(θ) in an
/// autograd graph. The values come from one Cholesky factorisation; the gradient is attached
/// analytically, ∂/∂A = ½(ααᵀ − A⁻¹) with α = A⁻¹r and ∂/∂r = −α (Rasmussen &amp; Williams 2006, eq. 5.9),
/// through surrogate terms whose value is zero. This back-propagates through A's construction only (no
/// Cholesky backward), at the price of one A⁻¹ from the factor, and only when gradients are recorded.
/// </summary>
internal static class GaussianEvidence
{
    public static LmlTerms Compute(Tensor covariance, Tensor residual, JitterSchedule jitter)
    {
        using var scope = NewDisposeScope();
        long n = residual.size(0);
        using var factor = SafeCholesky.Factor(covariance.detach(), jitter);
        var lower = factor.Lower;
        var r = residual.detach().unsqueeze(1);
        var v = linalg.solve_triangular(lower, r, upper: false);
        var dataFit = -0.5 * v.square().sum();
        var complexity = -lower.diagonal().log().sum();
        bool differentiate = is_grad_enabled() && (covariance.requires_grad || residual.requires_grad);
        if (differentiate)
        {
            var alpha = linalg.solve_triangular(lower.T, v, upper: true);
            var fitSurrogate = 0.5 * alpha.T.mm(covariance).mm(alpha).squeeze() - (alpha.squeeze(1) * residual).sum();
            dataFit = dataFit + (fitSurrogate - fitSurrogate.detach());
            var inverse = cholesky_inverse(lower);
            var complexitySurrogate = -0.5 * (inverse * covariance).sum();
            complexity = complexity + (complexitySurrogate - complexitySurrogate.detach());
        }
        return new LmlTerms(dataFit, complexity, -0.5 * n * Math.Log(2 * Math.PI), null, factor.Jitter).MoveToOuterDisposeScope();
    }
}
