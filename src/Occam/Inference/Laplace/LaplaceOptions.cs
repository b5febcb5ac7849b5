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
    EmpiricalFisher,

    /// <summary>
    /// Monte Carlo Fisher: Σ ĝₙĝₙᵀ with ĝₙ the gradient at a label drawn from the model's own
    /// predictive, ŷ ~ p(y|f(xₙ)). Its expectation is the GGN (Λ is the Fisher of the output), at the
    /// cost of one backward pass per example instead of one per output. Gaussian and categorical
    /// likelihoods; the draws come from a fixed seed, so a fit is reproducible.
    /// </summary>
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
    Sampled,
}

/// <summary>How a GLM predictive turns Gaussian logits into class probabilities.</summary>
public enum ClassificationLink
{
    /// <summary>Probit approximation: softmax(μ / √(1 + π/8 · diag Σ)).</summary>
    Probit,

    /// <summary>Monte Carlo over the Gaussian logits.</summary>
    MonteCarlo,
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
public sealed record LaplaceOptions
{
    /// <summary>Weights covered (default: last layer).</summary>
    public WeightSubset Subset { get; init; } = WeightSubset.LastLayer;

    /// <summary>Curvature structure (default: KFAC).</summary>
    public HessianStructure Structure { get; init; } = HessianStructure.Kron;

    /// <summary>GGN or empirical Fisher (default GGN).</summary>
    public CurvatureKind Curvature { get; init; } = CurvatureKind.Ggn;

    /// <summary>KFAC for convolutions: expand (default) or reduce. Linear layers are the same under both.</summary>
    public KfacConvolution KfacConvolution { get; init; } = KfacConvolution.Expand;

    /// <summary>Linearised (default) or sampled predictive.</summary>
    public LaplacePrediction Prediction { get; init; } = LaplacePrediction.Glm;

    /// <summary>Classification link of the GLM predictive (default probit).</summary>
    public ClassificationLink Link { get; init; } = ClassificationLink.Probit;

    /// <summary>Samples for Monte Carlo links and the sampled predictive (default 100).</summary>
    public int Samples { get; init; } = 100;

    /// <summary>Rank k of the low-rank structure (default 20).</summary>
    public int Rank { get; init; } = 20;

    /// <summary>Subnetwork size when no mask is given: the weights with largest diagonal-Laplace marginal variance (default 200).</summary>
    public int SubnetworkSize { get; init; } = 200;

    /// <summary>Explicit subnetwork: indices into the flat weight vector (overrides <see cref="SubnetworkSize"/>).</summary>
    public long[]? SubnetworkIndices { get; init; }

    /// <summary>Hyperparameter tuning (default: evidence maximisation).</summary>
    public PriorTuning Tuning { get; init; } = PriorTuning.Evidence;

    /// <summary>One prior precision per layer instead of one scalar (evidence tuning only).</summary>
    public bool PerLayerPrior { get; init; }

    /// <summary>Also tune the Gaussian observation noise (regression, evidence tuning).</summary>
    public bool TuneNoise { get; init; } = true;

    /// <summary>Fraction of training data held out for <see cref="PriorTuning.Validation"/> (default 0.1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Largest P accepted by the full structure (memory P²·8 bytes; default 6000 ≈ 290 MB).</summary>
    public long MaxFullParameters { get; init; } = 6000;

    /// <summary>Examples per curvature batch (bounds memory).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public LaplaceOptions Validate()
    {
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
        if (Rank < 1) throw new ArgumentException($"Rank must be at least 1; got {Rank}.", nameof(Rank));
        if (SubnetworkSize < 1) throw new ArgumentException($"Subnetwork size must be at least 1; got {SubnetworkSize}.", nameof(SubnetworkSize));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw new ArgumentException($"Validation fraction must lie in (0, 1); got {ValidationFraction}.", nameof(ValidationFraction));
        if (Structure == HessianStructure.Kron && Subset == WeightSubset.Subnetwork)
            throw new ArgumentException("KFAC needs whole layers; use --hessian full, diag or lowrank with a subnetwork.", nameof(Structure));
        if (PerLayerPrior && Structure == HessianStructure.LowRank)
            throw new ArgumentException("The low-rank structure supports one scalar prior precision only.", nameof(PerLayerPrior));
        return this;
    }
}
