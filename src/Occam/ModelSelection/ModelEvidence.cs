using Occam.Data;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Posteriors;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.ModelSelection;

/// <summary>
/// The evidence split (<see cref="EvidenceSplit"/>) of a fitted posterior that is a Gaussian around one centre,
/// all through <see cref="OccamFactor.Split"/>:
/// <list type="bullet">
/// <item>Laplace: θ* the MAP, Σ⁻¹ = s·H + diag(δ) in the fitted structure, the tuned δ and noise; the data fit is
/// the one the Laplace evidence uses (log p(D|θ*) at the tuned noise), so the total is <see cref="LaplacePosterior.Evidence"/>.</item>
/// <item>A diagonal Gaussian (IVON: σᵢ² = 1/(ess·(hᵢ + δ)), so Σ⁻¹ = ess·(h + δ)): θ* the mean m, data fit
/// log p(D|m) with the likelihood's fitted noise.</item>
/// <item>SWAG: θ* the SWA mean θ̄ and Σ the covariance it samples, scale·½(Σ_diag + D Dᵀ/(K′ − 1)) (scale·Σ_diag for
/// SWAG-diagonal), whose determinant comes from the matrix determinant lemma (<see cref="GaussianVolume.LowRankPlusDiagonal"/>).
/// SWAG's covariance describes the spread of SGD iterates, not the curvature of the posterior, so the result is
/// marked heuristic.</item>
/// </list>
/// </summary>
public static class ModelEvidence
{
    /// <summary>Whether <paramref name="method"/>'s posteriors are Gaussians this class can split: Laplace, IVON, VI and SWAG (not MultiSWAG or subspace inference).</summary>
    public static bool Supports(IPosteriorMethod method) =>
        method is LaplaceMethod or Inference.Variational.IvonMethod or Inference.Variational.BayesByBackpropMethod or SwagMethod;

    /// <summary>The evidence split of a posterior, dispatching on its kind.</summary>
    /// <param name="posterior">A Laplace posterior, or a weight posterior over a diagonal or low-rank Gaussian (not disposed).</param>
    /// <param name="train">The training data the posterior was fitted on, in original units (weight posteriors standardise it as they were fitted; Laplace does not read it).</param>
    /// <param name="priorPrecision">The Gaussian prior precision the weight posterior was trained under (IVON: ess·δ); Laplace uses its own tuned prior.</param>
    /// <exception cref="NotSupportedException">The posterior is not a Gaussian around one centre (samples, ensembles, GPs), or has batch normalisation.</exception>
    /// <exception cref="ArgumentException">The prior precision is not positive and finite.</exception>
    public static EvidenceSplit Of(IPosterior posterior, Dataset train, double priorPrecision) => posterior switch
    {
        LaplacePosterior laplace => Of(laplace),
        WeightPosterior weights => Of(weights, train, priorPrecision),
        _ => throw new NotSupportedException($"{posterior.Method}: the evidence needs a Gaussian posterior around one centre (Laplace, IVON, SWAG)."),
    };

    /// <summary>The Laplace evidence split, with N_eff from the structure's marginal variances.</summary>
    public static EvidenceSplit Of(LaplacePosterior posterior)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        var report = posterior.Evidence;
        using var scope = NewDisposeScope();
        string structure = $"laplace ({posterior.Options.Subset.ToString().ToLowerInvariant()}, {posterior.Structure})";
        return OccamFactor.Split(report.DataFit, posterior.Mean(), posterior.PriorPrecisionVector(), report.LogDeterminant, posterior.EffectiveDimension(),
            report.PriorPrecision, report.NoiseSd, structure, "MAP");
    }

    /// <summary>The split of a weight posterior over a diagonal Gaussian (IVON, VI) or SWAG's low-rank Gaussian, at its mean.</summary>
    /// <exception cref="NotSupportedException">Another weight distribution, or a network with batch normalisation.</exception>
    public static EvidenceSplit Of(WeightPosterior posterior, Dataset train, double priorPrecision)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(train);
        if (!(priorPrecision > 0) || !double.IsFinite(priorPrecision))
            throw new ArgumentException($"The prior precision must be positive and finite; got {priorPrecision}.", nameof(priorPrecision));
        using var scope = NewDisposeScope();
        var (centre, logDetPrecision, variances, approximation, heuristic) = Gaussian(posterior);
        using var standardised = posterior.Frame.Standardiser.Transform(train);
        using var data = standardised.To(posterior.Device);
        double fit = TrainingLogLikelihood.At(posterior.Network, posterior.Likelihood, centre, data);
        double effective = centre.shape[0] - priorPrecision * variances.sum().item<double>();
        double? noise = posterior.Likelihood is GaussianLikelihood g ? g.NoiseSd[0] : null;
        return OccamFactor.Split(fit, centre, tensor(priorPrecision, ScalarType.Float64), logDetPrecision, effective, [priorPrecision], noise,
            approximation, "mean", heuristic);
    }

    private static (Tensor Centre, double LogDetPrecision, Tensor Variances, string Approximation, bool Heuristic) Gaussian(WeightPosterior posterior)
    {
        switch (posterior.Distribution)
        {
            case DiagonalGaussianWeights diagonal:
            {
                using var sd = diagonal.StandardDeviation();
                var (logDet, variances) = GaussianVolume.Diagonal(sd);
                return (diagonal.Mean(), logDet, variances, $"{posterior.Method} (diagonal Gaussian)", false);
            }
            case LowRankGaussianWeights swag:
            {
                if (swag.BatchNorm is not null) throw new NotSupportedException($"{posterior.Method}: the evidence of a network with batch normalisation is not supported.");
                using var variance = swag.Variance();
                using var deviations = swag.Deviations();
                var diagonal = variance * (swag.IsDiagonal ? swag.Scale : swag.Scale / 2);
                var factor = swag.IsDiagonal ? null : deviations.t() * Math.Sqrt(swag.Scale / (2.0 * (swag.Rank - 1)));
                var (logDet, variances) = GaussianVolume.LowRankPlusDiagonal(diagonal, factor);
                return (swag.Mean(), logDet, variances, $"{posterior.Method} (covariance of SGD iterates × {swag.Scale:G3})", true);
            }
            default:
                throw new NotSupportedException($"{posterior.Method}: the evidence needs a Gaussian over the weights (IVON, VI, SWAG); this posterior holds {posterior.Distribution.Kind}.");
        }
    }
}
