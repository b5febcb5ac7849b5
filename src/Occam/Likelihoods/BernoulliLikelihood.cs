using Occam.Data;
using Occam.GaussianProcesses.Classification;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>
/// Two-class classification on one latent output f per input: p(y = 1 | f) = Φ(f) (probit) or σ(f)
/// (logistic), the likelihoods of binary GP classification (expectation propagation, binary Laplace).
/// Raw outputs are [..., N, 1]; labels are 0 or 1. A latent Gaussian f ~ N(μ, v) predicts in closed
/// form for probit, p(y = 1) = Φ(μ/√(1 + v)), and by the probit approximation σ(μ/√(1 + πv/8)) for
/// logistic; S latent samples give the members, so entropy and mutual information keep the epistemic part.
/// Output Hessian: the diagonal W = −∂² log p(y|f)/∂f² at the label of the more probable class is not
/// label-free, so the Fisher p(1 − p)(∂ log-odds/∂f)² is returned instead.
/// </summary>
public sealed class BernoulliLikelihood : Likelihood
{
    /// <summary>Creates the likelihood with the given link.</summary>
    public BernoulliLikelihood(BinaryLikelihood link = BinaryLikelihood.Probit)
    {
        if (!Enum.IsDefined(link)) throw new ArgumentOutOfRangeException(nameof(link), link, "Unknown binary link.");
        LinkFunction = link;
    }

    /// <summary>Probit Φ(f) or logistic σ(f).</summary>
    public BinaryLikelihood LinkFunction { get; }

    /// <inheritdoc />
    public override TaskKind Task => TaskKind.Classification;

    /// <inheritdoc />
    public override string Name => LinkFunction == BinaryLikelihood.Probit ? "bernoulli (probit)" : "bernoulli (logistic)";

    /// <summary>One latent output for two classes.</summary>
    /// <exception cref="ArgumentException">More than two classes.</exception>
    public override int OutputCount(int width) => width == 2 ? 1
        : throw new ArgumentException($"A Bernoulli likelihood models two classes; got {width}.", nameof(width));

    /// <inheritdoc />
    public override Likelihood ForMembers(int members, Device? device = null) => new BernoulliLikelihood(LinkFunction);

    /// <inheritdoc />
    public override Tensor NegativeLogLikelihood(Tensor raw, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var f = raw.squeeze(-1);
        var sign = targets.to_type(f.dtype) * 2 - 1;
        return (-LogProbability(sign * f)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Predictive Predict(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Predictive.Classification(Members(raw.detach().to_type(ScalarType.Float64).squeeze(-1)));
    }

    /// <inheritdoc />
    public override Predictive PredictLatent(Tensor mean, Tensor covariance, LatentPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.Samples < 1) throw new ArgumentOutOfRangeException(nameof(prediction), $"Latent samples must be at least 1; got {prediction.Samples}.");
        if (mean.dim() != 2 || mean.shape[1] != 1) throw new ArgumentException($"A Bernoulli likelihood needs one latent output, [N, 1]; got [{string.Join(", ", mean.shape)}].", nameof(mean));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mu = mean.to_type(ScalarType.Float64).squeeze(1);
        var variance = covariance.to_type(ScalarType.Float64).reshape(-1).clamp_min(0.0);
        var z = randn(new long[] { prediction.Samples, mu.shape[0] }, dtype: ScalarType.Float64, device: mu.device, generator: prediction.Generator);
        var members = Members(mu.unsqueeze(0) + variance.sqrt().unsqueeze(0) * z);
        if (prediction.Link == LatentLink.MonteCarlo) return Predictive.Classification(members);
        var positive = LinkFunction == BinaryLikelihood.Probit
            ? NormalMath.Cdf(mu / (1 + variance).sqrt())
            : (mu / (1 + Math.PI / 8 * variance).sqrt()).sigmoid();
        return Predictive.Classification(members, stack([1 - positive, positive], 1));
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        var f = raw.detach().to_type(ScalarType.Float64);
        Tensor fisher;
        if (LinkFunction == BinaryLikelihood.Logistic)
        {
            var p = f.sigmoid();
            fisher = p * (1 - p);
        }
        else
        {
            var density = (-0.5 * f.square()).exp() / Math.Sqrt(2 * Math.PI);
            var p = NormalMath.Cdf(f);
            fisher = density.square() / (p * (1 - p)).clamp_min(1e-300);
        }
        return fisher.unsqueeze(-1).to_type(raw.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>log p(y = ±1 | f) for s = ±f, elementwise.</summary>
    private Tensor LogProbability(Tensor s) =>
        LinkFunction == BinaryLikelihood.Probit ? NormalMath.LogCdf(s.to_type(ScalarType.Float64)).to_type(s.dtype) : nn.functional.logsigmoid(s);

    /// <summary>Member log-probabilities [..., N, 2] of classes 0 and 1 from latent values f [..., N] (float64).</summary>
    private Tensor Members(Tensor f) => stack([LogProbability(-f), LogProbability(f)], -1);
}
