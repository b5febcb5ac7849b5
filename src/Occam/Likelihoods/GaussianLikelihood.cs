using Occam.Data;
using Occam.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>
/// Homoscedastic Gaussian regression: y ~ N(f(x), σ²) per target, with σ fixed or learned (as
/// log σ, jointly with the weights, one σ per member). Output Hessian: Λ = I/σ².
/// </summary>
public sealed class GaussianLikelihood : Likelihood
{
    private readonly Parameter _logSd;
    private double _fixedLogSd; // log σ mirrored in C# for the fixed-noise fast path

    /// <summary>Creates the likelihood.</summary>
    /// <param name="noiseSd">Initial (or fixed) noise standard deviation σ &gt; 0, in the units the model is trained in.</param>
    /// <param name="learnNoise">Learn σ by maximum likelihood jointly with the weights.</param>
    public GaussianLikelihood(double noiseSd = 1.0, bool learnNoise = true) : this(noiseSd, learnNoise, 1, null) { }

    private GaussianLikelihood(double noiseSd, bool learnNoise, int members, Device? device)
    {
        if (!(noiseSd > 0) || !double.IsFinite(noiseSd)) throw new ArgumentOutOfRangeException(nameof(noiseSd), $"Noise sd must be positive and finite; got {noiseSd}.");
        InitialSd = noiseSd;
        _fixedLogSd = Math.Log(noiseSd);
        LearnNoise = learnNoise;
        Members = members;
        var shape = members == 1 ? Array.Empty<long>() : new long[] { members, 1, 1 };
        using var scope = NewDisposeScope();
        _logSd = new Parameter(full(shape, Math.Log(noiseSd), ScalarType.Float32, device: device).DetachFromDisposeScope(), requires_grad: learnNoise);
    }

    /// <summary>Initial (or fixed) σ.</summary>
    public double InitialSd { get; }

    /// <summary>Whether σ is learned.</summary>
    public bool LearnNoise { get; }

    /// <summary>Members K sharing this likelihood (one σ each).</summary>
    public int Members { get; }

    /// <summary>Current σ per member.</summary>
    public double[] NoiseSd
    {
        get
        {
            using var scope = NewDisposeScope();
            return _logSd.detach().exp().reshape(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        }
    }

    /// <inheritdoc />
    public override TaskKind Task => TaskKind.Regression;

    /// <inheritdoc />
    public override string Name => LearnNoise ? "gaussian (learned noise)" : $"gaussian (noise {InitialSd})";

    /// <inheritdoc />
    public override int OutputCount(int width) => width;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => LearnNoise ? [_logSd] : [];

    /// <inheritdoc />
    public override Likelihood ForMembers(int members, Device? device = null) => new GaussianLikelihood(InitialSd, LearnNoise, members, device);

    /// <summary>Sets σ (e.g. a value restored from disk), one per member or one for all.</summary>
    public void SetNoiseSd(double[] sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        if (sd.Length != 1 && sd.Length != Members) throw new ArgumentException($"Need 1 or {Members} noise values; got {sd.Length}.", nameof(sd));
        if (sd.Any(s => !(s > 0))) throw new ArgumentException("Noise sd must be positive.", nameof(sd));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = tensor(sd.Select(s => (float)Math.Log(s)).ToArray());
        _logSd.copy_(sd.Length == 1 ? values[0].expand(_logSd.shape) : values.view(_logSd.shape));
        _fixedLogSd = Math.Log(sd[0]);
    }

    /// <inheritdoc />
    public override Tensor NegativeLogLikelihood(Tensor raw, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        if (!LearnNoise && Members == 1)
        {
            // Fixed noise: fold σ into constants (fewer tensor calls on the training hot path).
            double logSd = _fixedLogSd, precision = Math.Exp(-2 * logSd);
            var diff = targets - raw;
            var squared = diff.square().sum(-1);
            return squared.mul_(0.5 * precision).add_(raw.shape[^1] * (logSd + 0.5 * Math.Log(2 * Math.PI))).MoveToOuterDisposeScope();
        }
        var z = (targets - raw) * (-_logSd).exp();
        var perTarget = 0.5 * z.square() + _logSd + 0.5 * Math.Log(2 * Math.PI);
        return perTarget.sum(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Predictive Predict(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var variance = (2 * _logSd.detach()).exp().expand_as(raw);
        return Predictive.Regression(raw.detach(), variance);
    }

    /// <inheritdoc />
    public override Predictive PredictLatent(Tensor mean, Tensor covariance, LatentPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mu = mean.to_type(ScalarType.Float64);
        var noise = (2 * _logSd.detach().to_type(ScalarType.Float64)).exp().expand_as(mu);
        return Predictive.Regression(mu, noise, covariance.to_type(ScalarType.Float64).diagonal(0, 1, 2));
    }

    /// <inheritdoc />
    public override Likelihood Stack(IReadOnlyList<Likelihood> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var gaussians = members.OfType<GaussianLikelihood>().ToList();
        if (gaussians.Count != members.Count || gaussians.Count == 0 || gaussians.Any(g => g.Members != 1 || g.LearnNoise != LearnNoise))
            throw new ArgumentException("Stacking needs single-member Gaussian likelihoods that all learn (or all fix) their noise.", nameof(members));
        var stacked = new GaussianLikelihood(InitialSd, LearnNoise, gaussians.Count, _logSd.device);
        stacked.SetNoiseSd(gaussians.Select(g => g.NoiseSd[0]).ToArray());
        return stacked;
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        var o = raw.shape[^1];
        var precision = (-2 * _logSd.detach()).exp();
        var eye = torch.eye(o, dtype: raw.dtype, device: raw.device);
        var shape = raw.shape.Concat(new[] { o }).ToArray();
        return (eye * precision.unsqueeze(-1)).expand(shape).contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double[]> Describe() => new Dictionary<string, double[]> { ["noise_sd"] = NoiseSd };

    /// <inheritdoc />
    public override void Dispose()
    {
        _logSd.Dispose();
        base.Dispose();
    }
}
