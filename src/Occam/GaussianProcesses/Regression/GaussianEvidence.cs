using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Regression;

/// <summary>
/// log N(r | 0, A) = −½ rᵀA⁻¹r − ½ log|A| − (N/2) log 2π for A = K + σ²I, with the kernel matrix K(θ), the
/// noise variance σ²(θ) and the residual r(θ) in an autograd graph. The values come from one Cholesky
/// factorisation of A (built outside the graph, with jitter when needed). The gradient is attached
/// analytically through surrogate terms whose value is zero (Rasmussen &amp; Williams 2006, eq. 5.9):
/// ∂(data fit)/∂K = ½ααᵀ, ∂/∂σ² = ½αᵀα, ∂/∂r = −α with α = A⁻¹r; ∂(complexity)/∂K = −½A⁻¹,
/// ∂/∂σ² = −½ tr A⁻¹. So backward runs through K's construction only, not through the factorisation;
/// A⁻¹ is formed only when gradients are being recorded. Double backward
/// is not supported. When gradients are not recorded and overwrite is set, the noise is
/// added to the kernel matrix in place instead of to a copy.
/// </summary>
internal static class GaussianEvidence
{
    public static LmlTerms Compute(Tensor kernelMatrix, Tensor noiseVariance, Tensor residual, JitterSchedule jitter, bool overwrite = false)
    {
        using var scope = NewDisposeScope();
        long n = residual.size(0);
        var noise = noiseVariance.reshape([]);
        bool differentiate = is_grad_enabled() && (kernelMatrix.requires_grad || noise.requires_grad || residual.requires_grad);
        var a = overwrite && !differentiate ? kernelMatrix.detach() : kernelMatrix.detach().clone();
        a.diagonal().add_(noise.detach());
        using var factor = SafeCholesky.Factor(a, jitter);
        var lower = factor.Lower;
        var r = residual.detach().unsqueeze(1);
        var v = linalg.solve_triangular(lower, r, upper: false);
        var dataFit = -0.5 * v.square().sum();
        var complexity = -lower.diagonal().log().sum();
        if (differentiate)
        {
            var alpha = linalg.solve_triangular(lower.T, v, upper: true).squeeze(1);
            var fitSurrogate = 0.5 * alpha.dot(kernelMatrix.mv(alpha)) + 0.5 * noise * alpha.dot(alpha) - alpha.dot(residual);
            dataFit = dataFit + (fitSurrogate - fitSurrogate.detach());
            a.zero_().diagonal().fill_(1.0);                       // reuse the buffer as the identity
            var inverse = cholesky_solve(a, lower);                 // A⁻¹ by two triangular solves (libtorch's cholesky_inverse is far slower on CPU)
            var complexitySurrogate = -0.5 * inverse.reshape(-1).dot(kernelMatrix.reshape(-1)) - 0.5 * noise * inverse.diagonal().sum();
            complexity = complexity + (complexitySurrogate - complexitySurrogate.detach());
        }
        return new LmlTerms(dataFit, complexity, -0.5 * n * Math.Log(2 * Math.PI), null, factor.Jitter).MoveToOuterDisposeScope();
    }
}
