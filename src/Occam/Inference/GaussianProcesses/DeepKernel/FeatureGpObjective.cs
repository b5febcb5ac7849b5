using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
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
/// mean, Z), so gradients reach the network's weights (exact: the analytic gradient of
/// <see cref="GaussianEvidence"/>; sparse: libtorch's autograd through the M×M factors) (deep kernel learning, Wilson et al. 2016). Tensors are in the caller's scope.
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
            ? Exact(kernel, features, residual, noise, lambda, jitter, constant)
            : Sparse(kernel, features, residual, lambda, inducing, jitter, constant);
    }

    /// <summary>
    /// Σ_c log N(r_c | 0, K + diag λ_c) through <see cref="GaussianEvidence"/>, whose gradient is attached
    /// analytically (no autograd through the factorisation): a learned shared noise (one value) is passed as
    /// its noise, a fixed per-point noise is added to the kernel matrix outside the graph.
    /// </summary>
    private static (Tensor, Tensor, Tensor, double) Exact(Kernel kernel, Tensor features, Tensor residual, Tensor noise, Tensor lambda, JitterSchedule jitter, double constant)
    {
        var k = kernel.MatrixCore(features, features);
        bool shared = noise.numel() == 1;
        Tensor dataFit = zeros([], dtype: ScalarType.Float64), complexity = zeros([], dtype: ScalarType.Float64);
        for (int output = 0; output < residual.size(0); output++)
        {
            var terms = shared
                ? GaussianEvidence.Compute(k, noise.reshape([]), residual[output], jitter)
                : GaussianEvidence.Compute(k + diag(lambda[output].detach()), zeros([], dtype: ScalarType.Float64), residual[output], jitter);
            dataFit = dataFit + terms.DataFit;
            complexity = complexity + terms.Complexity;
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
