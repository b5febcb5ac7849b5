using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses.DeepKernel;

/// <summary>
/// Dirichlet-based GP classification (Milios et al. 2018): the labels become C regression problems in
/// log space. With αᵢ = α_ε + one-hot(yᵢ), each class c gets targets ỹ_cᵢ = log α_cᵢ − σ̃²_cᵢ/2 and
/// heteroscedastic Gaussian noise σ̃²_cᵢ = log(1/α_cᵢ + 1) (moment matching of a Gamma by a log-normal).
/// A latent Gaussian over the C log-concentrations then predicts p(y = c) = E[softmax(f)_c], the
/// categorical likelihood's latent predictive, and the exact Gaussian marginal likelihood can be trained.
/// </summary>
internal static class DirichletTargets
{
    /// <summary>Targets and noise, float64 [C, N] each, for int64 labels [N] in [0, C) (in the caller's scope).</summary>
    public static (Tensor Targets, Tensor Noise) From(Tensor labels, int classes, double alpha)
    {
        var oneHot = nn.functional.one_hot(labels.to_type(ScalarType.Int64), classes).to_type(ScalarType.Float64).T;
        var concentration = oneHot + alpha;
        var noise = (1 / concentration + 1).log();
        return (concentration.log() - noise / 2, noise);
    }
}
