using System.ComponentModel;

namespace Occam.Inference.Swag;

/// <summary>
/// Options of SWA-Gaussian (Maddox et al. 2019): how to collect (<see cref="SwagCollectionOptions"/>) and
/// how to sample the Gaussian N(θ̄, Σ) with Σ = ½(Σ_diag + D Dᵀ/(K′ − 1)), or Σ = Σ_diag for SWAG-diagonal.
/// </summary>
public record SwagOptions : SwagCollectionOptions
{
    /// <summary>SWAG-diagonal: keep no deviations and sample N(θ̄, Σ_diag) (default false; the swag-diag method sets it).</summary>
    [Description("SWAG: diagonal covariance only (SWAG-diagonal)")]
    public bool Diagonal { get; init; }

    /// <summary>
    /// The factor on the covariance when sampling: θ = θ̄ + √scale · (Σ^½ z) (default 0.5, the paper's
    /// choice for its experiments).
    /// </summary>
    [Description("SWAG: covariance scale of the samples (θ = mean + sqrt(scale)·Σ^½ z)")]
    public double Scale { get; init; } = 0.5;

    /// <summary>Weight samples per prediction (default 30, as in the paper).</summary>
    [Description("prediction samples")]
    public int Samples { get; init; } = 30;

    /// <summary>The floor under every diagonal variance (default 10⁻⁶, in standardised weight units).</summary>
    [Description("SWAG: floor under the diagonal variances")]
    public double VarianceFloor { get; init; } = 1e-6;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!Diagonal && MaxRank is 1)
            throw new ArgumentException("SWAG's low-rank part D Dᵀ/(K′ − 1) needs at least 2 deviations; got a rank of 1 (use swag-diag for no deviations).", nameof(MaxRank));
        if (!(Scale > 0) || !double.IsFinite(Scale)) throw new ArgumentException($"The SWAG scale must be positive and finite; got {Scale}.", nameof(Scale));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
        if (!(VarianceFloor > 0) || !double.IsFinite(VarianceFloor)) throw new ArgumentException($"The variance floor must be positive; got {VarianceFloor}.", nameof(VarianceFloor));
    }
}
