using TorchSharp;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>
/// Multi-class GP classification with the softmax likelihood and the Laplace approximation
/// (Rasmussen &amp; Williams 2006, Alg. 3.3 for the mode, Alg. 3.4 for predictions): C independent latent
/// functions that share one kernel. With W = D − ΠΠᵀ (D = diag π̂), Eᶜ = Dᶜ½(I + Dᶜ½KDᶜ½)⁻¹Dᶜ½ and
/// M = chol(Σ_c Eᶜ), the approximate log marginal likelihood is DataFit = log p(y|f̂) − ½ f̂ᵀK⁻¹f̂ and
/// Complexity = −½ log|I + W½KW½| = −Σ_c Σᵢ log Lᶜᵢᵢ − Σᵢ log Mᵢᵢ. Newton steps are halved while they would
/// lower Ψ. Class probabilities average the softmax over seeded latent samples. The kernel's
/// hyperparameters are fixed at their values when fitted; the model copies the data and does not own the kernel.
/// </summary>
public sealed class LaplaceMulticlassClassifier : IGaussianProcessModel
{
    private readonly Tensor _x;
    private readonly Tensor _residual;   // y − π̂, [C, N]
    private readonly Tensor _e;          // Eᶜ, [C, N, N]
    private readonly Tensor _lowerM;     // chol(Σ_c Eᶜ), [N, N]
    private readonly Tensor _mode;       // f̂, [C, N]
    private readonly KernelSnapshot _snapshot;
    private readonly MarginalLikelihood _evidence;
    private bool _disposed;

    /// <summary>
    /// Finds the mode for inputs <paramref name="x"/> (float64 [N, D]) and integer labels <paramref name="y"/>
    /// ([N], values in [0, <paramref name="classes"/>)); neither is disposed.
    /// </summary>
    public LaplaceMulticlassClassifier(Kernel kernel, Tensor x, Tensor y, int classes, MulticlassLaplaceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Options = (options ?? new MulticlassLaplaceOptions()).Validate();
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        kernel.CheckInputDimension(x.size(1));
        GpChecks.SameDevice(kernel, x, nameof(x));
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be at least 2; got {classes}.");
        MemoryGuard.Require(x.size(0), x.size(0), 2 * classes + 4, $"A {classes}-class Laplace GP classifier on N = {x.size(0):N0} points", "Use fewer training points.");
        Kernel = kernel;
        Classes = classes;
        _snapshot = new KernelSnapshot(kernel);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y1 = ClassLabels.OneHot(y, x.size(0), classes, nameof(y));
        _x = x.detach().clone().DetachFromDisposeScope();
        var k = kernel.MatrixCore(_x, _x).detach();
        long n = _x.size(0);
        var f = zeros(classes, n, dtype: ScalarType.Float64);
        var a = zeros(classes, n, dtype: ScalarType.Float64);
        double psi = Psi(a, f, y1);
        for (Iterations = 0; Iterations < Options.MaxIterations; Iterations++)
        {
            using var step = NewDisposeScope();
            var pi = f.softmax(0);
            var (e, _, lowerM) = Curvature(k, pi);
            var b = pi * f - pi * (pi * f).sum(0, keepdim: true) + y1 - pi;
            var c = e.bmm(k.mm(b.T).T.unsqueeze(2)).squeeze(2);
            var u = cholesky_solve(c.sum(dim: 0).unsqueeze(1), lowerM);
            var target = b - c + e.matmul(u).squeeze(2);
            var (aNew, fNew, psiNew) = DampedStep(k, y1, a, target, psi);
            bool small = Math.Abs(psiNew - psi) < Options.Tolerance;
            a = aNew.MoveToOuterDisposeScope();
            f = fNew.MoveToOuterDisposeScope();
            psi = psiNew;
            if (small) { Converged = true; Iterations++; break; }
        }
        var piHat = f.softmax(0);
        var (eHat, logDetB, lowerHat) = Curvature(k, piHat);
        _evidence = new MarginalLikelihood(psi, -logDetB - lowerHat.diagonal().log().sum().item<double>(), 0);
        _residual = (y1 - piHat).DetachFromDisposeScope();
        _e = eHat.DetachFromDisposeScope();
        _lowerM = lowerHat.DetachFromDisposeScope();
        _mode = f.clone().DetachFromDisposeScope();
    }

    /// <summary>The options used.</summary>
    public MulticlassLaplaceOptions Options { get; }

    /// <summary>The kernel (not owned; its hyperparameters must not change while the model is used).</summary>
    public Kernel Kernel { get; }

    /// <summary>The number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Newton steps taken.</summary>
    public int Iterations { get; private set; }

    /// <summary>Whether Ψ settled within the tolerance.</summary>
    public bool Converged { get; private set; }

    /// <inheritdoc />
    public int Outputs => Classes;

    /// <summary>The posterior mode f̂ at the training inputs: a new float64 [N, C] tensor the caller owns.</summary>
    public Tensor Mode()
    {
        using var scope = NewDisposeScope();
        return _mode.T.contiguous().clone().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public MarginalLikelihood LogMarginalLikelihood() => _evidence;

    /// <summary>
    /// The predictive at <paramref name="x"/> (float64 [M, D], not disposed): latent mean [M, C],
    /// latent covariance [M, C, C] = diag(k**) − Q*ᵀ(K + W⁻¹)⁻¹Q* and Monte Carlo class probabilities
    /// [M, C], in a prediction the caller disposes.
    /// </summary>
    public MulticlassPrediction Predict(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        _snapshot.Verify(nameof(LaplaceMulticlassClassifier));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cross = Kernel.MatrixCore(_x, x);                                      // [N, M]
        var mean = _residual.mm(cross).T.contiguous();                             // [M, C]
        var g = _e.matmul(cross);                                                  // [C, N, M]
        var h = linalg.solve_triangular(_lowerM, g, upper: false);                 // [C, N, M]
        var own = Kernel.DiagonalCore(x).unsqueeze(0) - (cross.unsqueeze(0) * g).sum(1); // [C, M]
        var covariance = einsum("cim,dim->mcd", h, h) + diag_embed(own.T);
        covariance = 0.5 * (covariance + covariance.transpose(1, 2));
        var probabilities = SoftmaxExpectation(mean, covariance);
        return new MulticlassPrediction(mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var prediction = Predict(x);
        return (prediction.LatentMean.clone().MoveToOuterDisposeScope(), prediction.LatentCovariance.clone().MoveToOuterDisposeScope());
    }

    /// <summary>E[softmax(f)] for f ~ N(mean, covariance) per input, from seeded samples f = μ + Q√Λ ε.</summary>
    private Tensor SoftmaxExpectation(Tensor mean, Tensor covariance)
    {
        var generator = new Generator((ulong)Options.Seed, mean.device);
        var (values, vectors) = linalg.eigh(covariance);
        var root = vectors * values.clamp_min(0.0).sqrt().unsqueeze(1);           // [M, C, C]
        long m = mean.size(0), chunk = Math.Max(1, (1L << 22) / ((long)Options.MonteCarloSamples * Classes));
        var parts = new List<Tensor>();
        for (long start = 0; start < m; start += chunk)
        {
            long size = Math.Min(chunk, m - start);
            var eps = randn([Options.MonteCarloSamples, size, Classes], dtype: ScalarType.Float64, generator: generator);
            var latent = mean.narrow(0, start, size) + einsum("mcd,smd->smc", root.narrow(0, start, size), eps);
            parts.Add(latent.softmax(2).mean([0]));
        }
        return parts.Count == 0 ? zeros(0, Classes, dtype: ScalarType.Float64) : cat(parts, 0);
    }

    /// <summary>Eᶜ [C, N, N], Σ_c log|Lᶜ| and M = chol(Σ_c Eᶜ) at class probabilities π [C, N].</summary>
    private (Tensor E, double LogDetB, Tensor LowerM) Curvature(Tensor k, Tensor pi)
    {
        long n = k.size(0);
        var identity = eye(n, dtype: ScalarType.Float64);
        var blocks = new List<Tensor>();
        double logDet = 0;
        for (int c = 0; c < Classes; c++)
        {
            var sd = pi[c].sqrt();
            using var factor = SafeCholesky.Factor(identity + sd.unsqueeze(1) * k * sd.unsqueeze(0), Options.Jitter);
            logDet += factor.Lower.diagonal().log().sum().item<double>();
            blocks.Add(sd.unsqueeze(1) * cholesky_solve(diag(sd), factor.Lower));
        }
        var e = stack(blocks);
        var factorM = SafeCholesky.Factor(e.sum(dim: 0), Options.Jitter);
        return (e, logDet, factorM.Lower);
    }

    /// <summary>Ψ(f) = −½ aᵀf + yᵀf − Σᵢ log Σ_c exp fᵢᶜ.</summary>
    private static double Psi(Tensor a, Tensor f, Tensor y1) =>
        (-0.5 * (a * f).sum() + (y1 * f).sum() - f.logsumexp(0).sum()).item<double>();

    private static (Tensor A, Tensor F, double Psi) DampedStep(Tensor k, Tensor y1, Tensor a, Tensor target, double psi)
    {
        var direction = target - a;
        double step = 1;
        for (int halving = 0; ; halving++, step *= 0.5)
        {
            var aTry = a + step * direction;
            var fTry = aTry.mm(k);   // each row: K aᶜ (K symmetric)
            double psiTry = Psi(aTry, fTry, y1);
            if (psiTry >= psi - 1e-12 * Math.Abs(psi) || halving == 30) return (aTry, fTry, psiTry);
        }
    }

    /// <summary>Releases the model's tensors (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _residual.Dispose();
        _e.Dispose();
        _lowerM.Dispose();
        _mode.Dispose();
    }
}
