using TorchSharp;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>
/// Binary GP classification with the probit likelihood Φ(y f) and Expectation Propagation
/// (Rasmussen &amp; Williams 2006, Alg. 3.5 with sequential site updates, Alg. 3.6 for predictions):
/// each likelihood term becomes an unnormalised Gaussian site with natural parameters (ν̃ᵢ, τ̃ᵢ), matched to
/// the moments of its tilted distribution. The EP approximation to log Z = log ∫ N(f|0,K) Πᵢ Φ(yᵢfᵢ) df
/// (R&amp;W eq. 3.65) is reported as Complexity = ½Σ log(1 + τ̃ᵢ/τ₋ᵢ) − ½ log|I + S̃½KS̃½| and DataFit = the
/// rest (Σ log Φ(zᵢ) and the quadratic terms), in a form with no division by τ̃. The kernel's
/// hyperparameters are fixed at their values when fitted; the model copies the data and does not own the kernel.
/// </summary>
public sealed class EpBinaryClassifier : IGaussianProcessModel
{
    private readonly Tensor _x;
    private readonly Tensor _weights;
    private readonly Tensor _sqrtTau;
    private readonly Tensor _lower;
    private readonly Tensor _siteNu;
    private readonly Tensor _siteTau;
    private readonly KernelSnapshot _snapshot;
    private readonly MarginalLikelihood _evidence;
    private bool _disposed;

    /// <summary>Runs EP for inputs <paramref name="x"/> (float64 [N, D]) and labels <paramref name="y"/> ([N], {0, 1} or {−1, +1}); neither is disposed.</summary>
    public EpBinaryClassifier(Kernel kernel, Tensor x, Tensor y, EpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Options = (options ?? new EpOptions()).Validate();
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        kernel.CheckInputDimension(x.size(1));
        GpChecks.SameDevice(kernel, x, nameof(x));
        MemoryGuard.Require(x.size(0), x.size(0), 4, $"An EP GP classifier on N = {x.size(0):N0} points", "Use fewer training points.");
        Kernel = kernel;
        _snapshot = new KernelSnapshot(kernel);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var labels = ClassLabels.Binary(y, x.size(0), nameof(y));
        var yValues = labels.data<double>().ToArray();
        _x = x.detach().clone().DetachFromDisposeScope();
        var k = kernel.MatrixCore(_x, _x).detach();
        int n = (int)_x.size(0);
        var tau = new double[n];
        var nu = new double[n];
        var sigma = k.clone();
        var mu = zeros(n, dtype: ScalarType.Float64);
        for (Sweeps = 1; Sweeps <= Options.MaxSweeps; Sweeps++)
        {
            double change = 0;
            for (int i = 0; i < n; i++)
            {
                using var site = NewDisposeScope();
                double sii = sigma[i, i].item<double>(), mi = mu[i].item<double>();
                double tauCavity = 1 / sii - tau[i], nuCavity = mi / sii - nu[i];
                if (!(tauCavity > 0)) continue;
                var (tauNew, nuNew) = MatchSite(yValues[i], tauCavity, nuCavity);
                double deltaTau = tauNew - tau[i];
                change = Math.Max(change, Math.Max(Math.Abs(deltaTau), Math.Abs(nuNew - nu[i])));
                tau[i] = tauNew;
                nu[i] = nuNew;
                var s = sigma[.., i].clone();
                sigma.sub_(s.unsqueeze(1) * s.unsqueeze(0) * (deltaTau / (1 + deltaTau * sii)));
                mu.copy_(sigma.mv(tensor(nu, dtype: ScalarType.Float64)));
            }
            (sigma, mu) = Refresh(k, tau, nu);
            if (change < Options.Tolerance) { Converged = true; break; }
        }
        Sweeps = Math.Min(Sweeps, Options.MaxSweeps);
        var tauT = tensor(tau, dtype: ScalarType.Float64);
        var nuT = tensor(nu, dtype: ScalarType.Float64);
        var sqrtTau = tauT.sqrt();
        using var factor = SafeCholesky.Factor(eye(n, dtype: ScalarType.Float64) + sqrtTau.unsqueeze(1) * k * sqrtTau.unsqueeze(0), Options.Jitter);
        _evidence = Evidence(labels, sigma, mu, tauT, nuT, factor.Lower);
        var z = sqrtTau * cholesky_solve((sqrtTau * k.mv(nuT)).unsqueeze(1), factor.Lower).squeeze(1);
        _weights = (nuT - z).DetachFromDisposeScope();
        _sqrtTau = sqrtTau.DetachFromDisposeScope();
        _lower = factor.Lower.clone().DetachFromDisposeScope();
        _siteTau = tauT.DetachFromDisposeScope();
        _siteNu = nuT.DetachFromDisposeScope();
    }

    /// <summary>The options used.</summary>
    public EpOptions Options { get; }

    /// <summary>The kernel (not owned; its hyperparameters must not change while the model is used).</summary>
    public Kernel Kernel { get; }

    /// <summary>Sweeps run.</summary>
    public int Sweeps { get; private set; }

    /// <summary>Whether the site parameters settled within <see cref="EpOptions.Tolerance"/>.</summary>
    public bool Converged { get; private set; }

    /// <inheritdoc />
    public int Outputs => 1;

    /// <summary>The site precisions τ̃ and site precision-times-means ν̃: new float64 [N] tensors the caller owns.</summary>
    public (Tensor Tau, Tensor Nu) SiteParameters() => (_siteTau.clone(), _siteNu.clone());

    /// <inheritdoc />
    public MarginalLikelihood LogMarginalLikelihood() => _evidence;

    /// <summary>
    /// The predictive at <paramref name="x"/> (float64 [M, D], not disposed): latent mean and variance
    /// (Alg. 3.6) and p(y = 1) = Φ(μ/√(1 + v)), float64 [M], in a prediction the caller disposes.
    /// </summary>
    public BinaryPrediction Predict(Tensor x)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GpChecks.Inputs(x, nameof(x));
        Kernel.CheckInputDimension(x.size(1));
        _snapshot.Verify(nameof(EpBinaryClassifier));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cross = Kernel.MatrixCore(_x, x);
        var mean = cross.T.mv(_weights);
        var v = linalg.solve_triangular(_lower, _sqrtTau.unsqueeze(1) * cross, upper: false);
        var variance = (Kernel.DiagonalCore(x) - v.square().sum(dim: 0)).clamp_min(0.0);
        var probability = BinaryLink.PredictiveProbability(BinaryLikelihood.Probit, mean, variance);
        return new BinaryPrediction(mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope(), probability.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public (Tensor Mean, Tensor Covariance) LatentMeanAndCovariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var prediction = Predict(x);
        return (prediction.LatentMean.unsqueeze(1).clone().MoveToOuterDisposeScope(), prediction.LatentVariance.reshape(-1, 1, 1).clone().MoveToOuterDisposeScope());
    }

    /// <summary>Moment matching of Φ(y f) N(f | ν₋/τ₋, 1/τ₋) (R&amp;W eq. 3.58); returns the new site (τ̃, ν̃), τ̃ ≥ 0.</summary>
    private static (double Tau, double Nu) MatchSite(double y, double tauCavity, double nuCavity)
    {
        double variance = 1 / tauCavity, mean = nuCavity / tauCavity;
        double scale = Math.Sqrt(1 + variance);
        double z = y * mean / scale;
        double ratio = NormalMath.MillsRatio(z);
        double hatMean = mean + y * variance * ratio / scale;
        double hatVariance = variance - variance * variance * ratio * (z + ratio) / (1 + variance);
        double tau = Math.Max(1 / hatVariance - tauCavity, 0.0);
        double nu = hatMean / hatVariance - nuCavity;
        return (tau, nu);
    }

    /// <summary>Σ = K − K S̃½ B⁻¹ S̃½ K and μ = Σν̃ recomputed from the sites (removes the drift of rank-one updates).</summary>
    private (Tensor Sigma, Tensor Mu) Refresh(Tensor k, double[] tau, double[] nu)
    {
        long n = k.size(0);
        var sqrtTau = tensor(tau, dtype: ScalarType.Float64).sqrt();
        using var factor = SafeCholesky.Factor(eye(n, dtype: ScalarType.Float64) + sqrtTau.unsqueeze(1) * k * sqrtTau.unsqueeze(0), Options.Jitter);
        var v = linalg.solve_triangular(factor.Lower, sqrtTau.unsqueeze(1) * k, upper: false);
        var sigma = k - v.T.mm(v);
        return (sigma, sigma.mv(tensor(nu, dtype: ScalarType.Float64)));
    }

    private static MarginalLikelihood Evidence(Tensor y, Tensor sigma, Tensor mu, Tensor tau, Tensor nu, Tensor lower)
    {
        using var scope = NewDisposeScope();
        var diagonal = sigma.diagonal();
        var tauCavity = 1 / diagonal - tau;
        var nuCavity = mu / diagonal - nu;
        var z = y * (nuCavity / tauCavity) / (1 + 1 / tauCavity).sqrt();
        var sum = tauCavity + tau;
        var quadratic = 0.5 * nu.dot(mu) + 0.5 * (nuCavity.square() * tau / (tauCavity * sum) - 2 * nuCavity * nu / sum - nu.square() / sum).sum();
        double dataFit = (NormalMath.LogCdf(z).sum() + quadratic).item<double>();
        double complexity = (0.5 * (tau / tauCavity).log1p().sum() - lower.diagonal().log().sum()).item<double>();
        return new MarginalLikelihood(dataFit, complexity, 0);
    }

    /// <summary>Releases the model's tensors (not the kernel); idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _x.Dispose();
        _weights.Dispose();
        _sqrtTau.Dispose();
        _lower.Dispose();
        _siteTau.Dispose();
        _siteNu.Dispose();
    }
}
