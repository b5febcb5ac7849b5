using TorchSharp;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Regression;

/// <summary>
/// Exact GP regression (Rasmussen &amp; Williams 2006, Alg. 2.1): y = f(x) + ε with f ~ GP(m, k),
/// ε ~ N(0, σ²), m zero or a trainable constant. The log marginal likelihood and its gradient cost one
/// N×N Cholesky factorisation (plus an inverse for the gradient); predictions reuse a factor cached at
/// the current hyperparameters. The model copies the training data, does not own the kernel (keep it
/// alive while the model is used, dispose it yourself) and owns its noise and mean hyperparameters.
/// </summary>
public sealed class ExactGaussianProcess : IGaussianProcessModel
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly ExactGpOptions _options;
    private readonly PosteriorCache _cache;
    private bool _disposed;

    /// <summary>
    /// Creates the model at the kernel's current hyperparameters. <paramref name="x"/> is float64 [N, D],
    /// <paramref name="y"/> float64 [N] or [N, 1]; both are copied, not disposed. Refuses (with
    /// <see cref="GpTooLargeException"/>) an N whose N×N float64 matrices would not fit in available memory.
    /// </summary>
    public ExactGaussianProcess(Kernel kernel, Tensor x, Tensor y, ExactGpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        _options = (options ?? new ExactGpOptions()).Validate();
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        kernel.CheckInputDimension(x.size(1));
        GpChecks.SameDevice(kernel, x, nameof(x));
        MemoryGuard.RequireExactGp(x.size(0));
        Kernel = kernel;
        using var scope = NewDisposeScope();
        _y = GpChecks.Targets(y, nameof(y), x.size(0)).DetachFromDisposeScope();
        _x = x.detach().clone().DetachFromDisposeScope();
        NoiseVariance = new Hyperparameter("ExactGaussianProcess.NoiseVariance", [_options.NoiseVariance], trainable: _options.LearnNoise);
        if (_options.Mean == GpMean.Constant)
        {
            double initial = _options.ConstantMean ?? _y.mean().item<double>();
            ConstantMean = new Hyperparameter("ExactGaussianProcess.ConstantMean", [initial], HyperparameterConstraint.Unconstrained);
        }
        _cache = new PosteriorCache();
    }

    /// <summary>The kernel (not owned).</summary>
    public Kernel Kernel { get; }

    /// <summary>The Gaussian noise variance σ².</summary>
    public Hyperparameter NoiseVariance { get; }

    /// <summary>The constant mean c, or null for a zero mean.</summary>
    public Hyperparameter? ConstantMean { get; }

    /// <summary>Training points N.</summary>
    public long Count => _x.size(0);

    /// <inheritdoc />
    public int Outputs => 1;

    /// <summary>The hyperparameters fitting trains: the kernel's, then σ² (unless fixed) and the constant mean.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters
    {
        get
        {
            var list = Kernel.Hyperparameters.ToList();
            if (NoiseVariance.Trainable) list.Add(NoiseVariance);
            if (ConstantMean is not null) list.Add(ConstantMean);
            return list;
        }
    }

    /// <summary>The jitter the last factorisation of K + σ²I needed (0 when none).</summary>
    public double JitterUsed { get; private set; }

    /// <summary>
    /// log p(y | X, θ) = −½ rᵀ(K + σ²I)⁻¹r − ½ log|K + σ²I| − (N/2) log 2π with r = y − m, as differentiable
    /// float64 scalars (the caller disposes the result). Back-propagating <see cref="LmlTerms.Total"/>
    /// fills the gradients of the raw hyperparameters.
    /// </summary>
    public LmlTerms LogMarginalLikelihoodTerms()
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        var residual = ConstantMean is null ? _y : _y - ConstantMean.Value();
        var terms = GaussianEvidence.Compute(Kernel.MatrixCore(_x, _x), NoiseVariance.Value(), residual, _options.Jitter, overwrite: true);
        JitterUsed = terms.Jitter;
        return terms.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public MarginalLikelihood LogMarginalLikelihood()
    {
        using var noGrad = no_grad();
        using var terms = LogMarginalLikelihoodTerms();
        return terms.ToRecord();
    }

    /// <summary>
    /// Maximises the log marginal likelihood over <see cref="Hyperparameters"/> (raw log-values) and leaves
    /// them at the best point found.
    /// </summary>
    public GpFitReport FitHyperparameters(GpFitOptions? options = null)
    {
        ThrowIfDisposed();
        return HyperparameterFitter.Maximise(Hyperparameters, () => LogMarginalLikelihoodTerms().Total, options ?? new GpFitOptions());
    }

    /// <summary>
    /// The posterior at <paramref name="x"/> (float64 [M, D], not disposed): mean, latent variance and
    /// noisy variance, float64 [M], in a prediction the caller disposes. Large M is processed in chunks.
    /// </summary>
    public RegressionPrediction Predict(Tensor x)
    {
        ThrowIfDisposed();
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = Posterior();
        var means = new List<Tensor>();
        var variances = new List<Tensor>();
        long chunk = Math.Max(1, (1L << 25) / Count);
        for (long start = 0; start < x.size(0); start += chunk)
        {
            var xs = x.narrow(0, start, Math.Min(chunk, x.size(0) - start));
            var cross = Kernel.MatrixCore(_x, xs);
            var v = linalg.solve_triangular(state.Lower, cross, upper: false);
            means.Add(cross.T.mv(state.Alpha) + state.Mean);
            variances.Add((Kernel.DiagonalCore(xs) - v.square().sum(dim: 0)).clamp_min(0.0));
        }
        var mean = means.Count == 0 ? zeros(0, dtype: ScalarType.Float64) : cat(means, 0);
        var latent = variances.Count == 0 ? zeros(0, dtype: ScalarType.Float64) : cat(variances, 0);
        var noisy = latent + state.Noise;
        return new RegressionPrediction(mean.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope(), noisy.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The full latent posterior covariance k(x, x) − k(x, X)(K + σ²I)⁻¹k(X, x) at a few inputs: float64
    /// [M, M], a new tensor the caller owns; refuses an M whose M×M matrices would not fit in memory.
    /// </summary>
    public Tensor LatentCovariance(Tensor x)
    {
        ThrowIfDisposed();
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        MemoryGuard.Require(x.size(0), x.size(0) + Count, 2, $"A latent covariance at M = {x.size(0):N0} points", "Ask for fewer points or use Predict for the variances.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = Posterior();
        var v = linalg.solve_triangular(state.Lower, Kernel.MatrixCore(_x, x), upper: false);
        var covariance = Kernel.MatrixCore(x, x) - v.T.mm(v);
        return (0.5 * (covariance + covariance.T)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var prediction = Predict(x);
        return (prediction.Mean.unsqueeze(1).clone().MoveToOuterDisposeScope(), prediction.LatentVariance.reshape(-1, 1, 1).clone().MoveToOuterDisposeScope());
    }

    /// <summary>L = chol(K + σ²I), α = (K + σ²I)⁻¹(y − m) at the current hyperparameters, refreshed when they change.</summary>
    private PosteriorCache Posterior()
    {
        var snapshot = Hyperparameters.Append(NoiseVariance).SelectMany(h => h.RawValues()).ToArray();
        if (_cache.Matches(snapshot)) return _cache;
        using var scope = NewDisposeScope();
        var covariance = Kernel.MatrixCore(_x, _x).detach();
        covariance.diagonal().add_(NoiseVariance.Scalar);
        using var factor = SafeCholesky.Factor(covariance, _options.Jitter);
        JitterUsed = factor.Jitter;
        double mean = ConstantMean?.Scalar ?? 0.0;
        var alpha = cholesky_solve((_y - mean).unsqueeze(1), factor.Lower).squeeze(1);
        _cache.Store(snapshot, factor.Lower.clone(), alpha, mean, NoiseVariance.Scalar);
        return _cache;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases the copied data, the cache and the noise and mean hyperparameters (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _y.Dispose();
        _cache.Dispose();
        NoiseVariance.Dispose();
        ConstantMean?.Dispose();
    }
}
