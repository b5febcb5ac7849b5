using TorchSharp;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Sparse;

/// <summary>
/// Sparse GP regression with M inducing inputs Z and the collapsed variational bound of Titsias (2009):
/// log p(y) ≥ log N(y | m, Q + σ²I) − tr(K − Q)/(2σ²), Q = K_nm K_mm⁻¹ K_mn. Costs O(NM²) time and
/// O(NM) memory, so it serves N well above 10⁴. <see cref="LogMarginalLikelihood"/> returns the bound:
/// DataFit = −½ rᵀ(Q + σ²I)⁻¹r, Complexity = −½ log|Q + σ²I|, Constant = −(N/2) log 2π, Penalty =
/// −tr(K − Q)/(2σ²). Predictions use the optimal q(u). The model copies the data, does not own the kernel,
/// and owns its noise, mean and inducing-input hyperparameters.
/// </summary>
public sealed class SparseGaussianProcess : IGaussianProcessModel
{
    private const int LiveNmMatrices = 4;
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly SparseGpOptions _options;
    private bool _disposed;

    /// <summary>
    /// Creates the model with inducing inputs placed by <see cref="SparseGpOptions.Selection"/> among the
    /// rows of <paramref name="x"/> (float64 [N, D]); <paramref name="y"/> is float64 [N] or [N, 1]. Neither is disposed.
    /// </summary>
    public SparseGaussianProcess(Kernel kernel, Tensor x, Tensor y, SparseGpOptions? options = null)
        : this(kernel, x, y, null, options) { }

    /// <summary>Creates the model with the given inducing inputs (float64 [M, D], copied, not disposed).</summary>
    public SparseGaussianProcess(Kernel kernel, Tensor x, Tensor y, Tensor? inducing, SparseGpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        _options = (options ?? new SparseGpOptions()).Validate();
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        kernel.CheckInputDimension(x.size(1));
        GpChecks.SameDevice(kernel, x, nameof(x));
        long n = x.size(0);
        if (inducing is null && _options.InducingPoints > n)
            throw new ArgumentException($"SparseGpOptions.InducingPoints ({_options.InducingPoints}) must not exceed the {n} training points.", nameof(options));
        if (inducing is not null)
        {
            GpChecks.Inputs(inducing, nameof(inducing), minRows: 1);
            if (inducing.size(1) != x.size(1))
                throw new ArgumentException($"inducing has {inducing.size(1)} columns but x has {x.size(1)}.", nameof(inducing));
        }
        long m = inducing?.size(0) ?? _options.InducingPoints;
        MemoryGuard.Require(m, n, LiveNmMatrices, $"SGPR with M = {m:N0} inducing inputs on N = {n:N0} points", "Use fewer inducing inputs.");
        Kernel = kernel;
        using var scope = NewDisposeScope();
        _y = GpChecks.Targets(y, nameof(y), n).DetachFromDisposeScope();
        _x = x.detach().clone().DetachFromDisposeScope();
        using (var z = inducing?.detach().clone() ?? Place(_x, _options))
        {
            InducingInputs = new Hyperparameter("SparseGaussianProcess.InducingInputs", z.reshape(-1).data<double>().ToArray(),
                HyperparameterConstraint.Unconstrained, z.shape, _options.TrainInducing);
        }
        NoiseVariance = new Hyperparameter("SparseGaussianProcess.NoiseVariance", [_options.NoiseVariance], trainable: _options.LearnNoise);
        if (_options.Mean == GpMean.Constant)
            ConstantMean = new Hyperparameter("SparseGaussianProcess.ConstantMean", [_options.ConstantMean ?? _y.mean().item<double>()], HyperparameterConstraint.Unconstrained);
    }

    /// <summary>The kernel (not owned).</summary>
    public Kernel Kernel { get; }

    /// <summary>The inducing inputs Z, [M, D] (trainable only with <see cref="SparseGpOptions.TrainInducing"/>).</summary>
    public Hyperparameter InducingInputs { get; }

    /// <summary>The Gaussian noise variance σ².</summary>
    public Hyperparameter NoiseVariance { get; }

    /// <summary>The constant mean, or null for a zero mean.</summary>
    public Hyperparameter? ConstantMean { get; }

    /// <inheritdoc />
    public int Outputs => 1;

    /// <summary>The hyperparameters fitting trains: the kernel's, then σ², the constant mean and Z where enabled.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters
    {
        get
        {
            var list = Kernel.Hyperparameters.ToList();
            if (NoiseVariance.Trainable) list.Add(NoiseVariance);
            if (ConstantMean is not null) list.Add(ConstantMean);
            if (InducingInputs.Trainable) list.Add(InducingInputs);
            return list;
        }
    }

    /// <summary>The Titsias bound as differentiable float64 scalars (see the class summary); the caller disposes the result.</summary>
    public LmlTerms BoundTerms()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        var state = Factorise();
        var r = state.Residual;
        double n = _x.size(0);
        var dataFit = -0.5 * (r.dot(r) / state.Noise - state.C.dot(state.C));
        var complexity = -0.5 * (n * state.Noise.log() + 2.0 * state.LowerB.diagonal().log().sum());
        var penalty = -0.5 * Kernel.DiagonalCore(_x).sum() / state.Noise + 0.5 * state.A.square().sum();
        return new LmlTerms(dataFit.squeeze(), complexity.squeeze(), -0.5 * n * Math.Log(2 * Math.PI), penalty.squeeze(), state.Jitter).MoveToOuterDisposeScope();
    }

    /// <summary>The bound's value and parts.</summary>
    public MarginalLikelihood LogMarginalLikelihood()
    {
        using var noGrad = no_grad();
        using var terms = BoundTerms();
        return terms.ToRecord();
    }

    /// <summary>Maximises the bound over <see cref="Hyperparameters"/>; leaves them at the best point found.</summary>
    public GpFitReport FitHyperparameters(GpFitOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HyperparameterFitter.Maximise(Hyperparameters, () => BoundTerms().Total, options ?? new GpFitOptions());
    }

    /// <summary>
    /// The approximate posterior at <paramref name="x"/> (float64 [S, D], not disposed): mean, latent and
    /// noisy variance, float64 [S], in a prediction the caller disposes.
    /// </summary>
    public RegressionPrediction Predict(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = Factorise();
        var z = InducingInputs.Value();
        double mean = ConstantMean?.Scalar ?? 0.0;
        var means = new List<Tensor>();
        var variances = new List<Tensor>();
        long chunk = Math.Max(1, (1L << 24) / z.size(0));
        for (long start = 0; start < x.size(0); start += chunk)
        {
            var xs = x.narrow(0, start, Math.Min(chunk, x.size(0) - start));
            var t1 = linalg.solve_triangular(state.LowerM, Kernel.MatrixCore(z, xs), upper: false);
            var t2 = linalg.solve_triangular(state.LowerB, t1, upper: false);
            means.Add(t2.T.mv(state.C) + mean);
            variances.Add((Kernel.DiagonalCore(xs) - t1.square().sum(dim: 0) + t2.square().sum(dim: 0)).clamp_min(0.0));
        }
        var mu = means.Count == 0 ? zeros(0, dtype: ScalarType.Float64) : cat(means, 0);
        var latent = variances.Count == 0 ? zeros(0, dtype: ScalarType.Float64) : cat(variances, 0);
        var noisy = latent + state.Noise;
        return new RegressionPrediction(mu.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope(), noisy.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var prediction = Predict(x);
        return (prediction.Mean.unsqueeze(1).clone().MoveToOuterDisposeScope(), prediction.LatentVariance.reshape(-1, 1, 1).clone().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// L_m = chol(K_mm), A = L_m⁻¹K_mn/σ, L_B = chol(I + AAᵀ), c = L_B⁻¹A r/σ, in the caller's scope and
    /// in the autograd graph when gradients are recorded.
    /// </summary>
    private (Tensor LowerM, Tensor LowerB, Tensor A, Tensor C, Tensor Residual, Tensor Noise, double Jitter) Factorise()
    {
        var z = InducingInputs.Value();
        var noise = NoiseVariance.Value().squeeze();
        var kmm = Kernel.MatrixCore(z, z);
        var factorM = SafeCholesky.Factor(kmm, _options.Jitter);
        var a = linalg.solve_triangular(factorM.Lower, Kernel.MatrixCore(z, _x), upper: false) / noise.sqrt();
        var b = a.mm(a.T) + eye(z.size(0), dtype: ScalarType.Float64, device: z.device);
        var factorB = SafeCholesky.Factor(b, _options.Jitter);
        var residual = ConstantMean is null ? _y : _y - ConstantMean.Value();
        var c = linalg.solve_triangular(factorB.Lower, a.mv(residual).unsqueeze(1), upper: false).squeeze(1) / noise.sqrt();
        return (factorM.Lower, factorB.Lower, a, c, residual, noise, factorM.Jitter);
    }

    private static Tensor Place(Tensor x, SparseGpOptions options)
    {
        if (options.Selection == InducingSelection.KMeans) return KMeans.Centers(x, options.InducingPoints, options.KMeansIterations, options.Seed);
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)options.Seed, x.device);
        var rows = randperm(x.size(0), generator: generator, device: x.device).narrow(0, 0, options.InducingPoints);
        return x.index_select(0, rows).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the copied data and the model's hyperparameters (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _y.Dispose();
        InducingInputs.Dispose();
        NoiseVariance.Dispose();
        ConstantMean?.Dispose();
    }
}
