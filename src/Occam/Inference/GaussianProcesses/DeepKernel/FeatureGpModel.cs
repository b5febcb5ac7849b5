using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses.DeepKernel;

/// <summary>
/// The fitted GP of <see cref="FeatureGpObjective"/> at fixed features and hyperparameters: C outputs
/// sharing one kernel, a constant mean, noise per output and point, exact or with inducing inputs (the
/// optimal q(u) of Titsias 2009). Predictions take feature matrices (float64 [M, F]) and give the latent
/// mean [M, C] and the diagonal covariance [M, C, C] (outputs are independent given the kernel). The model
/// copies its tensors, factorises once, and does not own the kernel.
/// </summary>
internal sealed class FeatureGpModel : IGaussianProcessModel
{
    private readonly Tensor _features;   // [N, F]
    private readonly Tensor? _inducing;  // [M, F]
    private readonly Tensor _lower;      // exact: chol(K + Λ_c) [C, N, N]; sparse: chol(I + A_cA_cᵀ) [C, M, M]
    private readonly Tensor? _lowerZ;    // sparse: chol(K_zz) [M, M]
    private readonly Tensor _weights;    // exact: α_c [C, N]; sparse: c_c [C, M]
    private readonly double _mean;
    private readonly MarginalLikelihood _evidence;
    private bool _disposed;

    /// <summary>Factorises at the given values; <paramref name="noise"/> is [C, N] or [1, N]. Nothing given is disposed.</summary>
    public FeatureGpModel(Kernel kernel, Tensor features, Tensor targets, Tensor noise, double mean, Tensor? inducing, JitterSchedule jitter)
    {
        Kernel = kernel;
        Outputs = (int)targets.size(0);
        _mean = mean;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _features = features.detach().to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        _inducing = inducing?.detach().clone().DetachFromDisposeScope();
        var y = targets.detach().to_type(ScalarType.Float64);
        var lambda = noise.detach().to_type(ScalarType.Float64).expand(Outputs, y.size(1));
        var (dataFit, complexity, penalty, constant) = FeatureGpObjective.Evaluate(kernel, _features, y,
            lambda, tensor(mean, dtype: ScalarType.Float64), _inducing, jitter);
        _evidence = new MarginalLikelihood(dataFit.item<double>(), complexity.item<double>(), constant, penalty.item<double>());
        var residual = y - mean;
        var lowers = new List<Tensor>();
        var weights = new List<Tensor>();
        if (_inducing is null)
        {
            var k = kernel.MatrixCore(_features, _features);
            for (int c = 0; c < Outputs; c++)
            {
                using var factor = SafeCholesky.Factor(k + diag(lambda[c]), jitter);
                lowers.Add(factor.Lower.clone());
                weights.Add(cholesky_solve(residual[c].unsqueeze(1), factor.Lower).squeeze(1));
            }
        }
        else
        {
            using var factorZ = SafeCholesky.Factor(kernel.MatrixCore(_inducing, _inducing), jitter);
            _lowerZ = factorZ.Lower.clone().DetachFromDisposeScope();
            var v = linalg.solve_triangular(_lowerZ, kernel.MatrixCore(_inducing, _features), upper: false);
            var identity = eye(_inducing.size(0), dtype: ScalarType.Float64);
            for (int c = 0; c < Outputs; c++)
            {
                var rootInverse = lambda[c].rsqrt();
                var a = v * rootInverse.unsqueeze(0);
                using var factorB = SafeCholesky.Factor(identity + a.mm(a.T), jitter);
                lowers.Add(factorB.Lower.clone());
                weights.Add(linalg.solve_triangular(factorB.Lower, a.mv(residual[c] * rootInverse).unsqueeze(1), upper: false).squeeze(1));
            }
        }
        _lower = stack(lowers).DetachFromDisposeScope();
        _weights = stack(weights).DetachFromDisposeScope();
    }

    /// <summary>The kernel (not owned).</summary>
    public Kernel Kernel { get; }

    /// <inheritdoc />
    public int Outputs { get; }

    /// <summary>Training points N.</summary>
    public long Count => _features.size(0);

    /// <inheritdoc />
    public MarginalLikelihood LogMarginalLikelihood() => _evidence;

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var features = x.to_type(ScalarType.Float64);
        Tensor mean, variance;   // [C, M]
        if (_inducing is null)
        {
            var cross = Kernel.MatrixCore(_features, features);                                        // [N, M]
            mean = _weights.mm(cross);
            var v = linalg.solve_triangular(_lower, cross.unsqueeze(0).expand(Outputs, -1, -1), upper: false);
            variance = Kernel.DiagonalCore(features).unsqueeze(0) - v.square().sum(1);
        }
        else
        {
            var t1 = linalg.solve_triangular(_lowerZ!, Kernel.MatrixCore(_inducing, features), upper: false); // [Z, M]
            var t2 = linalg.solve_triangular(_lower, t1.unsqueeze(0).expand(Outputs, -1, -1), upper: false);   // [C, Z, M]
            mean = (t2 * _weights.unsqueeze(2)).sum(1);
            variance = Kernel.DiagonalCore(features).unsqueeze(0) - t1.square().sum(0).unsqueeze(0) + t2.square().sum(1);
        }
        var latentMean = (mean + _mean).T.contiguous();
        var covariance = diag_embed(variance.clamp_min(0.0).T);
        return (latentMean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <summary>Releases the copied tensors and factors (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _features.Dispose();
        _inducing?.Dispose();
        _lower.Dispose();
        _lowerZ?.Dispose();
        _weights.Dispose();
    }
}
