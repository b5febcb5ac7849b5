using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Likelihoods;

/// <summary>
/// Heteroscedastic Gaussian regression as in deep ensembles (Lakshminarayanan et al. 2017): the
/// network outputs 2T values, the means μ and raw scales s, with σ² = softplus(s) + ε.
/// Output "Hessian": the Fisher information in (μ, s), diag(1/σ², σ'(s)²/(2σ⁴)) with
/// σ'(s) = sigmoid(s), which is positive semi-definite as the GGN needs.
/// </summary>
public sealed class HeteroscedasticGaussianLikelihood : Likelihood
{
    /// <summary>Creates the likelihood with a variance floor ε and the β of its training loss.</summary>
    /// <param name="minVariance">Variance floor ε added to softplus(s).</param>
    /// <param name="beta">
    /// β ∈ [0, 1] of the β-NLL training loss (Seitzer et al. 2022): each example's NLL is weighted by
    /// stop-gradient(σ²)^β. β = 0 is the plain NLL, whose pull on the mean, (μ − y)/σ², vanishes where
    /// the network has raised σ² (rows far out in a heavy-tailed feature), leaving the mean there
    /// unconstrained; β = 0.5 (default) pulls with (μ − y)/σ and keeps the variance optimum σ² = (y − μ)².
    /// </param>
    public HeteroscedasticGaussianLikelihood(double minVariance = 1e-6, double beta = 0.5)
    {
        if (!(minVariance > 0)) throw new ArgumentOutOfRangeException(nameof(minVariance), "The variance floor must be positive.");
        if (!(beta >= 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), $"β must lie in [0, 1]; got {beta}.");
        MinVariance = minVariance;
        Beta = beta;
    }

    /// <summary>β of the β-NLL training loss (0: the plain NLL).</summary>
    public double Beta { get; }

    /// <summary>Variance floor ε added to softplus(s).</summary>
    public double MinVariance { get; }

    /// <inheritdoc />
    public override TaskKind Task => TaskKind.Regression;

    /// <inheritdoc />
    public override string Name => "heteroscedastic gaussian";

    /// <inheritdoc />
    public override int OutputCount(int width) => 2 * width;

    /// <inheritdoc />
    public override Likelihood ForMembers(int members, Device? device = null) => new HeteroscedasticGaussianLikelihood(MinVariance, Beta);

    /// <inheritdoc />
    public override Tensor NegativeLogLikelihood(Tensor raw, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var (mean, variance) = Split(raw);
        var perTarget = 0.5 * ((targets - mean).square() / variance + variance.log() + Math.Log(2 * Math.PI));
        return perTarget.sum(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor TrainingLoss(Tensor raw, Tensor targets)
    {
        if (Beta == 0) return NegativeLogLikelihood(raw, targets);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var (mean, variance) = Split(raw);
        var perTarget = 0.5 * ((targets - mean).square() / variance + variance.log() + Math.Log(2 * Math.PI));
        return (perTarget * variance.detach().pow(Beta)).sum(-1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Predictive Predict(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (mean, variance) = Split(raw.detach());
        return Predictive.Regression(mean, variance);
    }

    /// <inheritdoc />
    public override Predictive PredictLatent(Tensor mean, Tensor covariance, LatentPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mu = mean.to_type(ScalarType.Float64);
        long t = mu.shape[1] / 2;
        var aleatoric = nn.functional.softplus(mu.narrow(1, t, t)) + MinVariance;
        var epistemic = covariance.to_type(ScalarType.Float64).diagonal(0, 1, 2).narrow(1, 0, t);
        return Predictive.Regression(mu.narrow(1, 0, t), aleatoric, epistemic);
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var scope = NewDisposeScope();
        var (_, variance) = Split(raw.detach());
        var t = variance.shape[^1];
        var scaleDerivative = raw.detach().narrow(-1, t, t).sigmoid();
        var diagonal = cat(new[] { variance.reciprocal(), scaleDerivative.square() / (2 * variance.square()) }, -1);
        return diag_embed(diagonal).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Variance) Split(Tensor raw)
    {
        if (raw.shape[^1] % 2 != 0) throw new ArgumentException($"Heteroscedastic outputs need an even width (means and scales); got {raw.shape[^1]}.", nameof(raw));
        var t = raw.shape[^1] / 2;
        return (raw.narrow(-1, 0, t), nn.functional.softplus(raw.narrow(-1, t, t)) + MinVariance);
    }
}
