namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// Settings of the function-space study of Mingard et al. (2021), "Is SGD a Bayesian sampler? Well,
/// almost": n-bit Boolean inputs, a target function, a training set S of m inputs, fully connected ReLU
/// networks trained from the prior to zero training error (P_SGD), against the NNGP/EP posterior (P_B).
/// </summary>
public sealed record SgdVsBayesOptions
{
    /// <summary>Input bits n (default 7: 128 inputs).</summary>
    public int Bits { get; init; } = 7;

    /// <summary>The target (default the pattern 0011 repeated; see <see cref="BooleanTask.Create"/>).</summary>
    public string Target { get; init; } = "pattern:0011";

    /// <summary>Training inputs m (default 32; the rest are the test set).</summary>
    public int TrainSize { get; init; } = 32;

    /// <summary>Hidden widths (default two layers of 40).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [40, 40];

    /// <summary>σ_w (default 1): weights N(0, σ_w²/fan_in).</summary>
    public double WeightSd { get; init; } = 1.0;

    /// <summary>σ_b (default 1): biases N(0, σ_b²).</summary>
    public double BiasSd { get; init; } = 1.0;

    /// <summary>Networks R trained (default 10⁵).</summary>
    public long Networks { get; init; } = 100_000;

    /// <summary>Networks trained at once along the member dimension (default 10,000).</summary>
    public int ChunkSize { get; init; } = 10_000;

    /// <summary>Optimiser (default Adam).</summary>
    public StudyOptimizer Optimizer { get; init; } = StudyOptimizer.Adam;

    /// <summary>Learning rate (default: 10⁻³ for Adam, 10⁻² for SGD).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Mini-batch size (default 8).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Loss (default cross-entropy).</summary>
    public StudyLoss Loss { get; init; } = StudyLoss.CrossEntropy;

    /// <summary>Epoch budget to reach 100% training accuracy (default 1,000).</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Epochs of further training after fitting S (default 0).</summary>
    public int ExtraEpochs { get; init; }

    /// <summary>The correlation of log-probabilities uses functions seen at least this many times (default 10).</summary>
    public int MinCount { get; init; } = 10;

    /// <summary>
    /// ε, the label noise of P_B's likelihood Φ(y f / ε) (default 10⁻³). A network's label is sign(f) exactly,
    /// the limit ε → 0; ε = 1 is the unit-noise probit of ordinary GP classification, under which every label
    /// is partly random and P_B of a whole test function is many orders of magnitude too small.
    /// </summary>
    public double LabelNoise { get; init; } = 1e-3;

    /// <summary>Prior samples for the rejection-sampling check of P_B (default 10⁷; 0 skips it).</summary>
    public long PriorSamples { get; init; } = 10_000_000;

    /// <summary>Seed of the training set, initialisations, batch orders and prior samples (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>The learning rate in use.</summary>
    public double ResolvedLearningRate => LearningRate ?? (Optimizer == StudyOptimizer.Adam ? 1e-3 : 1e-2);

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the setting.</summary>
    public SgdVsBayesOptions Validate()
    {
        if (Bits < 2 || Bits > 7) throw new ArgumentException($"Bits must lie in 2..7 (at most 128 test inputs per function code); got {Bits}.", nameof(Bits));
        if (TrainSize < 1 || TrainSize >= 1 << Bits) throw new ArgumentException($"The training set must hold 1..{(1 << Bits) - 1} inputs; got {TrainSize}.", nameof(TrainSize));
        if (Hidden is null || Hidden.Count == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException("Hidden widths must be positive (at least one layer).", nameof(Hidden));
        if (!(WeightSd > 0) || !double.IsFinite(WeightSd)) throw new ArgumentException($"σ_w must be positive; got {WeightSd}.", nameof(WeightSd));
        if (!(BiasSd >= 0) || !double.IsFinite(BiasSd)) throw new ArgumentException($"σ_b must be non-negative; got {BiasSd}.", nameof(BiasSd));
        if (Networks < 1 || Networks > 10_000_000) throw new ArgumentException($"Networks must lie in 1..10,000,000; got {Networks}.", nameof(Networks));
        if (ChunkSize < 1) throw new ArgumentException($"The chunk size must be at least 1; got {ChunkSize}.", nameof(ChunkSize));
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentException($"Unknown optimiser {Optimizer}.", nameof(Optimizer));
        if (LearningRate is { } lr && (!(lr > 0) || !double.IsFinite(lr))) throw new ArgumentException($"The learning rate must be positive; got {lr}.", nameof(LearningRate));
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (!Enum.IsDefined(Loss)) throw new ArgumentException($"Unknown loss {Loss}.", nameof(Loss));
        if (MaxEpochs < 1) throw new ArgumentException($"The epoch budget must be at least 1; got {MaxEpochs}.", nameof(MaxEpochs));
        if (ExtraEpochs < 0) throw new ArgumentException($"Extra epochs must be non-negative; got {ExtraEpochs}.", nameof(ExtraEpochs));
        if (MinCount < 1) throw new ArgumentException($"The minimum count must be at least 1; got {MinCount}.", nameof(MinCount));
        if (!(LabelNoise > 0) || double.IsInfinity(LabelNoise)) throw new ArgumentException($"The label noise must be a positive number; got {LabelNoise}.", nameof(LabelNoise));
        if (PriorSamples < 0) throw new ArgumentException($"Prior samples must be non-negative; got {PriorSamples}.", nameof(PriorSamples));
        return this;
    }
}
