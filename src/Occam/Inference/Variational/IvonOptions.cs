using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Variational;

/// <summary>
/// Hyperparameters of <see cref="Ivon"/>, with the defaults of the authors' reference PyTorch
/// implementation (package <c>ivon-opt</c>, Shen et al. 2024) wherever it has one.
/// </summary>
public sealed record IvonOptions : IMethodOptions
{
    /// <summary>
    /// Learning rate α (default 0.1; the reference has no default). With <see cref="RescaleLearningRate"/>
    /// the first step is an SGD-with-momentum step of size α, and later steps are divided by the learned
    /// curvature h + δ: α is an SGD/Newton step size, not an Adam one (see README).
    /// </summary>
    [OptionName("ivon-lr"), Description("IVON learning rate α (an SGD/Newton step size, not Adam's)")]
    public double LearningRate { get; init; } = 0.1;

    /// <summary>
    /// Effective sample size λ (the reference has no default; <see cref="IvonMethod"/> uses the training-set
    /// size N). It scales the mean per-example loss to the whole dataset: σ = 1/√(λ(h + δ)).
    /// </summary>
    [OptionName("ess"), Description("IVON effective sample size λ (default: the training-set size)")]
    public double? EffectiveSampleSize { get; init; }

    /// <summary>
    /// Temperature T &gt; 0 (default 1): IVON targets exp(log p(θ|D)/T) through ess = N/T and weight decay
    /// δ = λ_p/N, so the prior is tempered with the likelihood (<see cref="Core.LogPosterior"/>). Not with an explicit ess.
    /// </summary>
    [Description("temperature T > 0 of the posterior (1 = Bayes, < 1 = cold): samplers scale their noise by sqrt(T), Laplace its covariance by T, IVON uses ess = N/T, VI weights its KL by T")]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Initial Hessian estimate h₀ (default 1.0); sets the initial spread σ₀ = 1/√(λ(h₀ + δ)).</summary>
    [OptionName("hess-init"), Description("IVON initial Hessian estimate h0")]
    public double HessianInit { get; init; } = 1.0;

    /// <summary>Gradient momentum β₁ in [0, 1) (default 0.9).</summary>
    [Description("IVON gradient momentum β1 in [0, 1)")]
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Hessian momentum β₂ in [0, 1) (default 0.99999).</summary>
    [Description("IVON Hessian momentum β2 in [0, 1)")]
    public double Beta2 { get; init; } = 0.99999;

    /// <summary>
    /// Weight decay δ &gt; 0 (reference default 1e-4). It is the prior precision divided by λ: the prior is
    /// N(0, 1/(λδ)·I). <see cref="IvonMethod"/> sets it from the model's Gaussian prior unless given here.
    /// </summary>
    [OptionName("ivon-weight-decay"), Description("IVON weight decay δ (default: the prior precision / ess)")]
    public double? WeightDecay { get; init; }

    /// <summary>Weight samples per step whose gradients are averaged (default 1).</summary>
    [Description("IVON weight samples per training step")]
    public int McSamples { get; init; } = 1;

    /// <summary>Element-wise bound on the preconditioned step (ḡ + δm)/(h + δ) (default +∞: no clipping).</summary>
    [Description("IVON element-wise bound on the preconditioned step (default: none)")]
    public double ClipRadius { get; init; } = double.PositiveInfinity;

    /// <summary>Multiply α by h₀ + δ so the first step mimics SGD (default true).</summary>
    [OptionIgnore]
    public bool RescaleLearningRate { get; init; } = true;

    /// <summary>Divide the gradient momentum by 1 − β₁ᵗ (default true).</summary>
    [OptionIgnore]
    public bool Debias { get; init; } = true;

    /// <summary>For tests: the kernel runs without its divergence guard (no roll-back of a run that runs off).</summary>
    [OptionIgnore]
    public bool Unguarded { get; init; }

    /// <summary>Weight samples S of the predictive model average (default 64, as in Shen et al. 2024); the optimiser itself ignores it.</summary>
    [Description("weight samples averaged per prediction")]
    public int Samples { get; init; } = 64;

    /// <summary>The reference implementation's weight decay, used when none is given: 1e-4.</summary>
    public const double ReferenceWeightDecay = 1e-4;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"IVON learning rate must be positive; got {LearningRate}.", nameof(LearningRate));
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"Temperature must be positive and finite; got {Temperature}.", nameof(Temperature));
        if (EffectiveSampleSize is not null && Temperature != 1.0) throw new ArgumentException("Give IVON a temperature or an effective sample size, not both (the temperature sets ess = N/T).", nameof(Temperature));
        if (EffectiveSampleSize is { } ess && (!(ess > 0) || !double.IsFinite(ess))) throw new ArgumentException($"IVON effective sample size (ess) must be positive; got {ess}.", nameof(EffectiveSampleSize));
        if (!(HessianInit > 0) || !double.IsFinite(HessianInit)) throw new ArgumentException($"IVON hess_init must be positive; got {HessianInit}.", nameof(HessianInit));
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"IVON beta1 must lie in [0, 1); got {Beta1}.", nameof(Beta1));
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"IVON beta2 must lie in [0, 1); got {Beta2}.", nameof(Beta2));
        if (WeightDecay is { } wd && (!(wd > 0) || !double.IsFinite(wd))) throw new ArgumentException($"IVON weight decay must be positive (it is the prior precision / ess); got {wd}.", nameof(WeightDecay));
        if (McSamples < 1) throw new ArgumentException($"IVON needs at least one MC sample per step; got {McSamples}.", nameof(McSamples));
        if (!(ClipRadius > 0)) throw new ArgumentException($"IVON clip radius must be positive; got {ClipRadius}.", nameof(ClipRadius));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
    }
}
