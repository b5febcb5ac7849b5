using System.ComponentModel;
using Occam.Core.Options;
using Occam.Likelihoods;

namespace Occam.Inference.Laplace;

/// <summary>Which weights the Gaussian covers; the others stay at their MAP values.</summary>
public enum WeightSubset
{
    /// <summary>Every weight of the network (Occam's MLP).</summary>
    All,

    /// <summary>The last linear layer only; the rest of the network is a fixed feature map.</summary>
    LastLayer,

    /// <summary>A chosen subset of all weights (a user mask, or the largest diagonal-Laplace marginal variances).</summary>
    Subnetwork,
}

/// <summary>How the curvature (and so the posterior precision) is stored.</summary>
public enum HessianStructure
{
    /// <summary>Dense P×P (exact; memory P²).</summary>
    Full,

    /// <summary>Diagonal only.</summary>
    [OptionAlias("diag")]
    Diagonal,

    /// <summary>Kronecker-factored per layer (KFAC), A ⊗ B.</summary>
    Kron,

    /// <summary>Top-k eigenpairs (Lanczos on curvature-vector products) plus the prior.</summary>
    LowRank,
}

/// <summary>Which curvature approximates the Hessian of the negative log-likelihood.</summary>
public enum CurvatureKind
{
    /// <summary>Generalised Gauss–Newton Jᵀ Λ J (Λ: the likelihood's output-space Hessian; exact for Gaussian and categorical outputs of a linear model).</summary>
    Ggn,

    /// <summary>Empirical Fisher Σ gₙgₙᵀ of per-example gradients (one backward pass per example).</summary>
    [OptionAlias("ef")]
    EmpiricalFisher,

    /// <summary>
    /// Monte Carlo Fisher: Σ ĝₙĝₙᵀ with ĝₙ the gradient at a label drawn from the model's own
    /// predictive, ŷ ~ p(y|f(xₙ)). Its expectation is the GGN (Λ is the Fisher of the output), at the
    /// cost of one backward pass per example instead of one per output. Gaussian and categorical
    /// likelihoods; the draws come from a fixed seed, so a fit is reproducible.
    /// </summary>
    [OptionAlias("mc")]
    MonteCarloFisher,
}

/// <summary>How KFAC treats a convolution's T output positions, which share its weights (Eschenhagen et al. 2023).</summary>
public enum KfacConvolution
{
    /// <summary>
    /// KFAC-expand: positions count like extra examples, A = Σₙ Σₜ ãₙₜãₙₜᵀ and B = Σₙ Σₜ GₙₜᵀΛGₙₜ / (N·T).
    /// Its A factor costs N·T·a² multiply-adds (T = 100 for LeNet-5's second convolution).
    /// </summary>
    Expand,

    /// <summary>
    /// KFAC-reduce: positions are averaged out first, A = Σₙ āₙāₙᵀ with āₙ the mean patch and
    /// B = Σₙ ĝₙᵀΛĝₙ / N with ĝₙ = Σₜ Gₙₜ; exact when every position sees the same patch, and T times
    /// cheaper in A.
    /// </summary>
    Reduce,
}

/// <summary>How the Laplace posterior predicts.</summary>
public enum LaplacePrediction
{
    /// <summary>Linearised network (GLM): f(x; w) ≈ f(x; w*) + J(x)(w − w*); closed form for regression.</summary>
    Glm,

    /// <summary>Sample weights and run the non-linear network ("nn" predictive).</summary>
    [OptionAlias("nn")]
    Sampled,
}

/// <summary>How the prior precision (and regression noise) are chosen after the MAP fit.</summary>
public enum PriorTuning
{
    /// <summary>Keep the training prior.</summary>
    None,

    /// <summary>Maximise the Laplace log evidence by gradient ascent (post hoc).</summary>
    Evidence,

    /// <summary>Grid search on the predictive NLL of a held-out validation split.</summary>
    Validation,
}

/// <summary>Options of a Laplace approximation.</summary>
public sealed record LaplaceOptions : IMethodOptions
{
    /// <summary>Weights covered (default: last layer).</summary>
    [Description("Laplace: weights covered: last-layer, all or subnetwork")]
    public WeightSubset Subset { get; init; } = WeightSubset.LastLayer;

    /// <summary>Curvature structure (default: KFAC).</summary>
    [OptionName("hessian"), Description("Laplace: curvature structure: full, diag, kron or lowrank")]
    public HessianStructure Structure { get; init; } = HessianStructure.Kron;

    /// <summary>GGN or empirical Fisher (default GGN).</summary>
    [Description("Laplace: ggn, ef (empirical Fisher) or mc (Monte Carlo Fisher: one backward pass per example, expectation = GGN)")]
    public CurvatureKind Curvature { get; init; } = CurvatureKind.Ggn;

    /// <summary>KFAC for convolutions: expand (default) or reduce. Linear layers are the same under both.</summary>
    [OptionName("kfac"), Description("Laplace KFAC for convolutions: expand (positions as examples) or reduce (mean patch; much cheaper)")]
    public KfacConvolution KfacConvolution { get; init; } = KfacConvolution.Expand;

    /// <summary>Linearised (default) or sampled predictive.</summary>
    [OptionName("predictive"), Description("Laplace: glm (linearised) or nn (sample weights through the network)")]
    public LaplacePrediction Prediction { get; init; } = LaplacePrediction.Glm;

    /// <summary>Classification link of the GLM predictive (default probit; entropy and mutual information always come from latent samples).</summary>
    [Description("Laplace classification probabilities: probit or monte-carlo (latent samples)")]
    public LatentLink Link { get; init; } = LatentLink.Probit;

    /// <summary>Latent samples of a classification predictive (entropy, mutual information, Monte Carlo link) and weight samples of the sampled predictive (default 100).</summary>
    [Description("latent or weight samples per prediction")]
    public int Samples { get; init; } = 100;

    /// <summary>Rank k of the low-rank structure (default 20).</summary>
    [Description("Laplace low-rank structure: rank k")]
    public int Rank { get; init; } = 20;

    /// <summary>Subnetwork size when no mask is given: the weights with largest diagonal-Laplace marginal variance (default 200).</summary>
    [Description("Laplace subnetwork: the weights with the largest marginal variance")]
    public int SubnetworkSize { get; init; } = 200;

    /// <summary>Explicit subnetwork: indices into the flat weight vector (overrides <see cref="SubnetworkSize"/>).</summary>
    [Description("Laplace subnetwork: explicit indices into the weight vector (comma-separated)")]
    public long[]? SubnetworkIndices { get; init; }

    /// <summary>Last-layer subset: the name of the final Linear submodule (default: found by tracing the network).</summary>
    [Description("Laplace last-layer subset: the name of the final Linear submodule (default: found by tracing)")]
    public string? LastLayer { get; init; }

    /// <summary>Hyperparameter tuning (default: evidence maximisation).</summary>
    [OptionName("tune"), Description("Laplace prior tuning: evidence, validation or none")]
    public PriorTuning Tuning { get; init; } = PriorTuning.Evidence;

    /// <summary>One prior precision per layer instead of one scalar (evidence tuning only).</summary>
    [Description("Laplace: one prior precision per layer")]
    public bool PerLayerPrior { get; init; }

    /// <summary>Also tune the Gaussian observation noise (regression, evidence tuning).</summary>
    [Description("Laplace: also tune the Gaussian noise by the evidence")]
    public bool TuneNoise { get; init; } = true;

    /// <summary>Fraction of training data held out for <see cref="PriorTuning.Validation"/> (default 0.1).</summary>
    [Description("Laplace: fraction of the training data held out for validation tuning")]
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Largest P accepted by the full structure (memory P²·8 bytes; default 6000 ≈ 290 MB).</summary>
    [Description("Laplace: largest number of weights the full structure accepts")]
    public long MaxFullParameters { get; init; } = 6000;

    /// <summary>Examples per curvature batch (bounds memory).</summary>
    [OptionName("curvature-batch-size"), Description("Laplace: examples per curvature pass batch")]
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// Temperature T &gt; 0 (default 1): the tempered posterior ∝ exp(log p(θ|D)/T) has the same mode and the
    /// covariance T·(s·H + P₀)⁻¹ (<see cref="Core.LogPosterior"/>). The prior is tuned at T = 1; T scales the
    /// covariance after, so the epistemic variance of the linearised predictive is T times the Bayes one.
    /// </summary>
    [Description("temperature T > 0 of the posterior (1 = Bayes, < 1 = cold): samplers scale their noise by sqrt(T), Laplace its covariance by T, IVON uses ess = N/T, VI weights its KL by T")]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"Temperature must be positive and finite; got {Temperature}.", nameof(Temperature));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
        if (Rank < 1) throw new ArgumentException($"Rank must be at least 1; got {Rank}.", nameof(Rank));
        if (SubnetworkSize < 1) throw new ArgumentException($"Subnetwork size must be at least 1; got {SubnetworkSize}.", nameof(SubnetworkSize));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw new ArgumentException($"Validation fraction must lie in (0, 1); got {ValidationFraction}.", nameof(ValidationFraction));
        if (Structure == HessianStructure.Kron && Subset == WeightSubset.Subnetwork)
            throw new ArgumentException("KFAC needs whole layers; a subnetwork takes the full, diagonal or low-rank structure.", nameof(Structure));
        if (PerLayerPrior && Structure == HessianStructure.LowRank)
            throw new ArgumentException("The low-rank structure supports one scalar prior precision only.", nameof(PerLayerPrior));
        if (SubnetworkIndices is { Length: 0 }) throw new ArgumentException("Subnetwork indices, when given, must name at least one weight.", nameof(SubnetworkIndices));
        if (!(MaxFullParameters >= 1)) throw new ArgumentException($"The full-structure limit must be at least 1; got {MaxFullParameters}.", nameof(MaxFullParameters));
    }
}
