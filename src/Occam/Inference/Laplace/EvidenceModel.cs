using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// The Laplace log evidence as a differentiable function of the log prior precision(s) and, for a
/// homoscedastic Gaussian likelihood, the log noise sd. θ*, the curvature and the residuals are
/// fixed (post-hoc tuning around the MAP).
/// </summary>
internal sealed class EvidenceModel : IDisposable
{
    private readonly ICurvature _curvature;
    private readonly Tensor _theta;       // covered weights θ*, [P]
    private readonly Tensor _layerIndex;  // layer of each covered weight, [P]
    private readonly bool _gaussian;      // unit-noise Gaussian: data fit depends on σ
    private readonly double _sse;         // Σ (y − f)² over all N·T targets (Gaussian)
    private readonly long _targets;       // N·T (Gaussian)
    private readonly double _fixedLogLikelihood; // other likelihoods: log p(D|θ*)

    public EvidenceModel(ICurvature curvature, Tensor theta, Tensor layerIndex, bool gaussian, double sse, long targets, double fixedLogLikelihood)
    {
        _curvature = curvature;
        _theta = theta.DetachFromDisposeScope();
        _layerIndex = layerIndex.DetachFromDisposeScope();
        _gaussian = gaussian;
        _sse = sse;
        _targets = targets;
        _fixedLogLikelihood = fixedLogLikelihood;
    }

    /// <summary>Σ (y − f)² of the Gaussian case (persisted with the posterior).</summary>
    public double SumSquaredResiduals => _sse;

    /// <summary>N·T of the Gaussian case.</summary>
    public long Targets => _targets;

    /// <summary>log p(D|θ*) of non-Gaussian likelihoods.</summary>
    public double FixedLogLikelihood => _fixedLogLikelihood;

    /// <summary>Whether the data fit (and curvature scale) depend on a Gaussian noise sd.</summary>
    public bool HasNoise => _gaussian;

    /// <summary>Per-weight prior precision [P] from log precisions [L] or [1].</summary>
    public Tensor PriorVector(Tensor logPrior) =>
        logPrior.shape[0] == 1 ? logPrior.exp().expand(_theta.shape[0]) : logPrior.exp().index_select(0, _layerIndex);

    /// <summary>Curvature scale s: 1/σ² for the unit-noise Gaussian case, else 1.</summary>
    public Tensor Scale(Tensor? logSd) => _gaussian && logSd is not null ? (-2 * logSd).exp() : tensor(1.0, ScalarType.Float64);

    /// <summary>log p(D|θ*) as a function of log σ (Gaussian) or the fixed value.</summary>
    public Tensor DataFit(Tensor? logSd)
    {
        if (!_gaussian || logSd is null) return tensor(_fixedLogLikelihood, ScalarType.Float64);
        return -0.5 * _targets * Math.Log(2 * Math.PI) - _targets * logSd - 0.5 * _sse * (-2 * logSd).exp();
    }

    /// <summary>The log evidence (scalar tensor, differentiable in its arguments).</summary>
    public Tensor LogEvidence(Tensor logPrior, Tensor? logSd)
    {
        var (fit, occam, _) = Terms(logPrior, logSd);
        return fit + occam;
    }

    /// <summary>The evidence and its parts as numbers.</summary>
    public EvidenceReport Evaluate(double[] priorPrecision, double? noiseSd)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logPrior = tensor(priorPrecision.Select(v => Math.Log(v)).ToArray(), ScalarType.Float64);
        var logSd = noiseSd is { } sd ? tensor(Math.Log(sd), ScalarType.Float64) : null;
        var (fit, occam, logDet) = Terms(logPrior, logSd);
        double f = fit.item<double>(), o = occam.item<double>();
        return new EvidenceReport(f + o, f, o, logDet.item<double>(), _theta.shape[0], priorPrecision, _gaussian ? noiseSd : null);
    }

    private (Tensor Fit, Tensor Occam, Tensor LogDet) Terms(Tensor logPrior, Tensor? logSd)
    {
        var delta = PriorVector(logPrior);
        var logDet = _curvature.LogDeterminant(delta, Scale(logSd));
        // log p(θ*) + (P/2) log 2π = ½ Σ log δ − ½ Σ δ θ²  (the 2π terms cancel)
        var occam = 0.5 * delta.log().sum() - 0.5 * (delta * _theta.square()).sum() - 0.5 * logDet;
        return (DataFit(logSd), occam, logDet);
    }

    public void Dispose()
    {
        _theta.Dispose();
        _layerIndex.Dispose();
    }
}
