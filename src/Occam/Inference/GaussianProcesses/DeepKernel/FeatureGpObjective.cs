using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses.DeepKernel;

/// <summary>
/// The log marginal likelihood of C independent GP regressions that share one kernel on (network)
/// features Φ [N, F], with targets Y [C, N], a shared constant mean m and Gaussian noise per output and
/// point, Λ [C, N] (one learned σ² broadcast for regression; the fixed Dirichlet noise for
/// classification). Exact: Σ_c log N(y_c | m, K + diag λ_c). Sparse (Titsias 2009, with diagonal noise):
/// Σ_c log N(y_c | m, Q + diag λ_c) − ½ Σᵢ (kᵢᵢ − qᵢᵢ)/λ_cᵢ, Q = K_nz K_zz⁻¹ K_zn with inducing inputs Z
/// [M, F] in feature space. Every input may be in an autograd graph (features, hyperparameters, noise,
/// mean, Z), and libtorch's autograd differentiates through the Cholesky factors, so gradients reach the
/// network's weights (deep kernel learning, Wilson et al. 2016). Tensors are in the caller's scope.
/// </summary>
internal static class FeatureGpObjective
{
    /// <summary>The parts (data fit, complexity, penalty: float64 scalar tensors; the constant as a number).</summary>
    public static (Tensor DataFit, Tensor Complexity, Tensor Penalty, double Constant) Evaluate(Kernel kernel, Tensor features, Tensor targets, Tensor noise,
        Tensor mean, Tensor? inducing, JitterSchedule jitter)
    {
        long c = targets.size(0), n = targets.size(1);
        var residual = targets - mean;
        var lambda = noise.expand(c, n);
        double constant = -0.5 * c * n * Math.Log(2 * Math.PI);
        return inducing is null
            ? Exact(kernel, features, residual, lambda, jitter, constant)
            : Sparse(kernel, features, residual, lambda, inducing, jitter, constant);
    }

    private static (Tensor, Tensor, Tensor, double) Exact(Kernel kernel, Tensor features, Tensor residual, Tensor lambda, JitterSchedule jitter, double constant)
    {
        var k = kernel.MatrixCore(features, features);
        Tensor dataFit = zeros([], dtype: ScalarType.Float64), complexity = zeros([], dtype: ScalarType.Float64);
        for (int output = 0; output < residual.size(0); output++)
        {
            using var factor = SafeCholesky.Factor(k + diag(lambda[output]), jitter);
            var v = linalg.solve_triangular(factor.Lower, residual[output].unsqueeze(1), upper: false);
            dataFit = dataFit - 0.5 * v.square().sum();
            complexity = complexity - factor.Lower.diagonal().log().sum();
        }
        return (dataFit, complexity, zeros([], dtype: ScalarType.Float64), constant);
    }

    private static (Tensor, Tensor, Tensor, double) Sparse(Kernel kernel, Tensor features, Tensor residual, Tensor lambda, Tensor inducing, JitterSchedule jitter, double constant)
    {
        long m = inducing.size(0);
        using var factorM = SafeCholesky.Factor(kernel.MatrixCore(inducing, inducing), jitter);
        var v = linalg.solve_triangular(factorM.Lower, kernel.MatrixCore(inducing, features), upper: false); // L⁻¹K_zn [M, N]
        var diagonal = kernel.DiagonalCore(features);
        var identity = eye(m, dtype: ScalarType.Float64);
        Tensor dataFit = zeros([], dtype: ScalarType.Float64), complexity = zeros([], dtype: ScalarType.Float64), penalty = zeros([], dtype: ScalarType.Float64);
        for (int output = 0; output < residual.size(0); output++)
        {
            var rootInverse = lambda[output].rsqrt();
            var a = v * rootInverse.unsqueeze(0);
            using var factorB = SafeCholesky.Factor(identity + a.mm(a.T), jitter);
            var r = residual[output] * rootInverse;
            var projected = linalg.solve_triangular(factorB.Lower, a.mv(r).unsqueeze(1), upper: false);
            dataFit = dataFit - 0.5 * (r.square().sum() - projected.square().sum());
            complexity = complexity - 0.5 * lambda[output].log().sum() - factorB.Lower.diagonal().log().sum();
            penalty = penalty - 0.5 * (diagonal / lambda[output]).sum() + 0.5 * a.square().sum();
        }
        return (dataFit, complexity, penalty, constant);
    }
}
