using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Swag;

/// <summary>How subspace inference samples the posterior over the subspace coordinates.</summary>
public enum SubspaceSampler
{
    /// <summary>Elliptical slice sampling (Murray, Adams &amp; MacKay 2010), as in the paper: no step size to tune.</summary>
    [OptionAlias("ess")]
    Elliptical,

    /// <summary>Hamiltonian Monte Carlo with full-batch gradients in the subspace and a step size adapted during burn-in.</summary>
    Hmc,
}

/// <summary>
/// Options of subspace inference (Izmailov et al. 2019): SWAG's collection
/// (<see cref="SwagCollectionOptions"/>), then a posterior over coordinates z of the PCA subspace of the
/// deviations around the SWA mean, θ = θ̄ + Pᵀz, with prior N(0, σ²I) on z and the likelihood tempered by T.
/// </summary>
public sealed record SubspaceOptions : SwagCollectionOptions
{
    /// <summary>Subspace dimension r (default null: 10, or the deviations kept when fewer); at most the deviations kept.</summary>
    [Description("subspace inference: subspace dimension (default: 10, or the deviations kept when fewer)")]
    public int? SubspaceRank { get; init; }

    /// <summary>The sampler over z (default elliptical slice sampling).</summary>
    [Description("subspace inference: sampler over the coordinates: elliptical (ess) or hmc")]
    public SubspaceSampler SubspaceSampler { get; init; } = SubspaceSampler.Elliptical;

    /// <summary>
    /// T, dividing the log-likelihood: p_T(z | D) ∝ p(D | z)^(1/T) p(z) (default null: N/r, the default of
    /// the authors' reference implementation).
    /// </summary>
    [Description("subspace inference: posterior temperature T dividing the log-likelihood (default: N / subspace dimension)")]
    public double? SubspaceTemperature { get; init; }

    /// <summary>
    /// σ, the prior standard deviation of every coordinate (default 1: the basis is scaled so that
    /// z ~ N(0, I) has SWAG's low-rank covariance restricted to the subspace).
    /// </summary>
    [Description("subspace inference: prior standard deviation of each subspace coordinate")]
    public double SubspacePriorSd { get; init; } = 1.0;

    /// <summary>Sampler iterations discarded before the kept samples (default 20).</summary>
    [Description("subspace inference: sampler iterations discarded before keeping samples")]
    public int SubspaceBurnIn { get; init; } = 20;

    /// <summary>Posterior samples kept, every one used in prediction (default 30).</summary>
    [Description("prediction samples")]
    public int Samples { get; init; } = 30;

    /// <summary>HMC: leapfrog steps per trajectory (default 20).</summary>
    [Description("subspace inference HMC: leapfrog steps per trajectory")]
    public int SubspaceLeapfrogSteps { get; init; } = 20;

    /// <summary>HMC: the initial leapfrog step size, adapted during burn-in towards 80% acceptance (default 0.1).</summary>
    [Description("subspace inference HMC: initial leapfrog step size (adapted during burn-in)")]
    public double SubspaceStepSize { get; init; } = 0.1;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (MaxRank is 1) throw new ArgumentException("A PCA subspace needs at least 2 deviations; got a rank of 1.", nameof(MaxRank));
        if (SubspaceRank is < 1) throw new ArgumentException($"The subspace dimension must be at least 1; got {SubspaceRank}.", nameof(SubspaceRank));
        if (SubspaceRank is { } r && MaxRank is { } k && r > k)
            throw new ArgumentException($"The subspace dimension ({r}) cannot exceed the deviations kept ({k}).", nameof(SubspaceRank));
        if (!Enum.IsDefined(SubspaceSampler)) throw new ArgumentException($"Unknown subspace sampler {SubspaceSampler}.", nameof(SubspaceSampler));
        if (SubspaceTemperature is { } t && (!(t > 0) || !double.IsFinite(t)))
            throw new ArgumentException($"The temperature must be positive and finite; got {t}.", nameof(SubspaceTemperature));
        if (!(SubspacePriorSd > 0) || !double.IsFinite(SubspacePriorSd))
            throw new ArgumentException($"The prior standard deviation must be positive and finite; got {SubspacePriorSd}.", nameof(SubspacePriorSd));
        if (SubspaceBurnIn < 0) throw new ArgumentException($"The burn-in must be non-negative; got {SubspaceBurnIn}.", nameof(SubspaceBurnIn));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
        if (SubspaceLeapfrogSteps < 1) throw new ArgumentException($"HMC needs at least one leapfrog step; got {SubspaceLeapfrogSteps}.", nameof(SubspaceLeapfrogSteps));
        if (!(SubspaceStepSize > 0) || !double.IsFinite(SubspaceStepSize))
            throw new ArgumentException($"The HMC step size must be positive and finite; got {SubspaceStepSize}.", nameof(SubspaceStepSize));
    }
}
