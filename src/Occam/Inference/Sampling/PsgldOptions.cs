using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// Preconditioned SGLD (Li, Chen, Carlson &amp; Carin 2016) with the RMSprop preconditioner
/// G = diag(1 / (λ + √V)), V ← αV + (1 − α) ḡ⊙ḡ: θ ← θ − (h/2) G ∇Û(θ) + ξ, ξ ~ N(0, hT·G). The Γ(θ)
/// correction term (the divergence of G) is dropped, as in the paper's experiments: it vanishes as α → 1
/// and costs a second derivative. The run keeps the bias this leaves (see docs/methods/sampling.md).
/// </summary>
public sealed record PsgldOptions : StochasticGradientOptions
{
    /// <summary>The step size per example ε = h·N (default 0.001), as for SGLD.</summary>
    [Description("SGLD-family: step size per example ε = h·N (the update's h is ε/N)")]
    public double StepSize { get; init; } = 0.001;

    /// <summary>RMSprop's decay α of the squared-gradient average V, in [0, 1) (default 0.99).</summary>
    [Description("pSGLD: decay α of the squared-gradient average")]
    public double RmspropDecay { get; init; } = 0.99;

    /// <summary>
    /// λ in G = 1/(λ + √V) (default 1e-3): bounds the preconditioner, and so the noise variance h·T·G, where
    /// gradients nearly vanish (the weights of a dead ReLU unit feel only the prior's pull). With the paper's
    /// 1e-5 that variance reaches h·T·10⁵, and on a few hundred training rows (h = ε/N large) chains run off:
    /// measured in docs/methods/sampling.md.
    /// </summary>
    [OptionName("preconditioner-floor"), Description("pSGLD: λ in the preconditioner 1/(λ + sqrt(V))")]
    public double PreconditionerFloor { get; init; } = 1e-3;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Positive(StepSize, nameof(StepSize), "The step size");
        if (!(RmspropDecay >= 0 && RmspropDecay < 1)) throw new ArgumentException($"The RMSprop decay α must lie in [0, 1); got {RmspropDecay}.", nameof(RmspropDecay));
        Positive(PreconditionerFloor, nameof(PreconditionerFloor), "The preconditioner floor λ");
    }
}
