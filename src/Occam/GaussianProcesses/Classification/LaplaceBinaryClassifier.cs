using TorchSharp;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>
/// Binary GP classification with the Laplace approximation (Rasmussen &amp; Williams 2006, Alg. 3.1 for
/// the mode, Alg. 3.2 for predictions): q(f | X, y) = N(f̂, (K⁻¹ + W)⁻¹) at the posterior mode f̂, with a
/// logistic or probit likelihood and the kernel's hyperparameters fixed at their values when fitted.
/// Newton steps are halved while they would lower Ψ(f) = log p(y|f) − ½ fᵀK⁻¹f. The approximate log
/// marginal likelihood is DataFit = log p(y|f̂) − ½ f̂ᵀK⁻¹f̂ plus Complexity = −½ log|I + W½KW½|.
/// The model copies the data and does not own the kernel.
/// </summary>
public sealed class LaplaceBinaryClassifier : IGaussianProcessModel
{
    private readonly Tensor _x;
    private readonly Tensor _mode;
    private readonly Tensor _gradient;
    private readonly Tensor _sqrtW;
    private readonly Tensor _lower;
    private readonly KernelSnapshot _snapshot;
    private readonly MarginalLikelihood _evidence;
    private bool _disposed;

    /// <summary>
    /// Finds the mode for inputs <paramref name="x"/> (float64 [N, D]) and labels <paramref name="y"/>
    /// ([N], values in {0, 1} or {−1, +1}); neither is disposed.
    /// </summary>
    public LaplaceBinaryClassifier(Kernel kernel, Tensor x, Tensor y, LaplaceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Options = (options ?? new LaplaceOptions()).Validate();
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        kernel.CheckInputDimension(x.size(1));
        GpChecks.SameDevice(kernel, x, nameof(x));
        MemoryGuard.Require(x.size(0), x.size(0), 4, $"A Laplace GP classifier on N = {x.size(0):N0} points", "Use fewer training points.");
        Kernel = kernel;
        _snapshot = new KernelSnapshot(kernel);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var labels = ClassLabels.Binary(y, x.size(0), nameof(y));
        _x = x.detach().clone().DetachFromDisposeScope();
        var k = kernel.MatrixCore(_x, _x).detach();
        var likelihood = Options.Likelihood;
        long n = _x.size(0);
        var f = zeros(n, dtype: ScalarType.Float64);
        var a = zeros(n, dtype: ScalarType.Float64);
        double psi = BinaryLink.LogLikelihood(likelihood, labels, f).sum().item<double>();
        for (Iterations = 0; Iterations < Options.MaxIterations; Iterations++)
        {
            using var step = NewDisposeScope();
            var (gradient, w) = BinaryLink.Derivatives(likelihood, labels, f);
            var sw = w.sqrt();
            using var factor = SafeCholesky.Factor(eye(n, dtype: ScalarType.Float64) + sw.unsqueeze(1) * k * sw.unsqueeze(0), Options.Jitter);
            var b = w * f + gradient;
            var target = b - sw * cholesky_solve((sw * k.mv(b)).unsqueeze(1), factor.Lower).squeeze(1);
            var (aNew, fNew, psiNew) = DampedStep(k, labels, a, target, psi);
            bool small = Math.Abs(psiNew - psi) < Options.Tolerance;
            a = aNew.MoveToOuterDisposeScope();
            f = fNew.MoveToOuterDisposeScope();
            psi = psiNew;
            if (small) { Converged = true; Iterations++; break; }
        }
        var (finalGradient, finalW) = BinaryLink.Derivatives(likelihood, labels, f);
        var finalSw = finalW.sqrt();
        using var final = SafeCholesky.Factor(eye(n, dtype: ScalarType.Float64) + finalSw.unsqueeze(1) * k * finalSw.unsqueeze(0), Options.Jitter);
        double dataFit = (-0.5 * a.dot(f) + BinaryLink.LogLikelihood(likelihood, labels, f).sum()).item<double>();
        double complexity = -final.Lower.diagonal().log().sum().item<double>();
        _evidence = new MarginalLikelihood(dataFit, complexity, 0);
        _mode = f.clone().DetachFromDisposeScope();
        _gradient = finalGradient.DetachFromDisposeScope();
        _sqrtW = finalSw.DetachFromDisposeScope();
        _lower = final.Lower.clone().DetachFromDisposeScope();
    }

    /// <summary>The options used.</summary>
    public LaplaceOptions Options { get; }

    /// <summary>The kernel (not owned; its hyperparameters must not change while the model is used).</summary>
    public Kernel Kernel { get; }

    /// <summary>Newton steps taken.</summary>
    public int Iterations { get; private set; }

    /// <summary>Whether Ψ settled within <see cref="LaplaceOptions.Tolerance"/> before <see cref="LaplaceOptions.MaxIterations"/>.</summary>
    public bool Converged { get; private set; }

    /// <inheritdoc />
    public int Outputs => 1;

    /// <summary>The posterior mode f̂ at the training inputs: a new float64 [N] tensor the caller owns.</summary>
    public Tensor Mode() => _mode.clone();

    /// <inheritdoc />
    public MarginalLikelihood LogMarginalLikelihood() => _evidence;

    /// <summary>
    /// The predictive at <paramref name="x"/> (float64 [M, D], not disposed): latent mean k*ᵀ∇log p(y|f̂),
    /// latent variance k** − k*ᵀ(K + W⁻¹)⁻¹k*, and p(y = 1) (exact for probit, the probit approximation for
    /// logistic), float64 [M], in a prediction the caller disposes.
    /// </summary>
    public BinaryPrediction Predict(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        _snapshot.Verify(nameof(LaplaceBinaryClassifier));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cross = Kernel.MatrixCore(_x, x);
        var mean = cross.T.mv(_gradient);
        var v = linalg.solve_triangular(_lower, _sqrtW.unsqueeze(1) * cross, upper: false);
        var variance = (Kernel.DiagonalCore(x) - v.square().sum(dim: 0)).clamp_min(0.0);
        var probability = BinaryLink.PredictiveProbability(Options.Likelihood, mean, variance);
        return new BinaryPrediction(mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope(), probability.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var prediction = Predict(x);
        return (prediction.LatentMean.unsqueeze(1).clone().MoveToOuterDisposeScope(), prediction.LatentVariance.reshape(-1, 1, 1).clone().MoveToOuterDisposeScope());
    }

    /// <summary>Moves a towards the Newton target, halving the step while Ψ would decrease.</summary>
    private (Tensor A, Tensor F, double Psi) DampedStep(Tensor k, Tensor labels, Tensor a, Tensor target, double psi)
    {
        var direction = target - a;
        double step = 1;
        for (int halving = 0; ; halving++, step *= 0.5)
        {
            var aTry = a + step * direction;
            var fTry = k.mv(aTry);
            double psiTry = (-0.5 * aTry.dot(fTry) + BinaryLink.LogLikelihood(Options.Likelihood, labels, fTry).sum()).item<double>();
            if (psiTry >= psi - 1e-12 * Math.Abs(psi) || halving == 30) return (aTry, fTry, psiTry);
        }
    }

    /// <summary>Releases the model's tensors (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _mode.Dispose();
        _gradient.Dispose();
        _sqrtW.Dispose();
        _lower.Dispose();
    }
}
