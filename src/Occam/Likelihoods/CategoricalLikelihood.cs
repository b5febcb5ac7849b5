using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>
/// Categorical classification on logits: p(y = c | f) = softmax(f)_c. Output Hessian:
/// Λ = diag(p) − ppᵀ.
/// </summary>
public sealed class CategoricalLikelihood : Likelihood
{
    /// <inheritdoc />
    public override TaskKind Task => TaskKind.Classification;

    /// <inheritdoc />
    public override string Name => "categorical";

    /// <inheritdoc />
    public override int OutputCount(int width) => width;

    /// <inheritdoc />
    public override Likelihood ForMembers(int members, Device? device = null) => new CategoricalLikelihood();

    /// <inheritdoc />
    public override Tensor NegativeLogLikelihood(Tensor raw, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var logp = raw.log_softmax(-1);
        var index = targets.dim() == raw.dim() - 1 ? targets.unsqueeze(-1) : targets;
        if (index.dim() < logp.dim()) index = index.expand([.. logp.shape[..^1], 1]);
        return (-logp.gather(-1, index).squeeze(-1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Predictive Predict(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Predictive.Classification(raw.detach().to_type(ScalarType.Float64).log_softmax(-1));
    }

    /// <inheritdoc />
    public override Predictive PredictLatent(Tensor mean, Tensor covariance, LatentPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.Samples < 1) throw new ArgumentOutOfRangeException(nameof(prediction), $"Latent samples must be at least 1; got {prediction.Samples}.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mu = mean.to_type(ScalarType.Float64);
        var sigma = covariance.to_type(ScalarType.Float64);
        long seed = randint(long.MaxValue, new long[] { 1 }, dtype: ScalarType.Int64, generator: prediction.Generator).item<long>();
        var draws = LatentLogitDraws.Create(mu, sigma, prediction.Samples, seed);
        if (prediction.Link == LatentLink.MonteCarlo)
        {
            using (draws)
            using (var members = draws.Draw())
                return Predictive.Classification(members);
        }
        var kappa = (1 + Math.PI / 8 * sigma.diagonal(0, 1, 2)).rsqrt();
        return Predictive.LatentClassification(draws, (mu * kappa).softmax(-1));
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        var p = raw.detach().softmax(-1);
        return (diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)).MoveToOuterDisposeScope();
    }
}
