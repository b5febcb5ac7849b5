using System.Text.Json.Serialization;

namespace Occam.Studies.SgdVsBayes;

/// <summary>One test function found by SGD.</summary>
/// <param name="Function">Its labels on the test inputs, 0/1 in test-input order.</param>
/// <param name="Count">Runs that ended in it.</param>
/// <param name="PSgd">Count / fitted runs.</param>
/// <param name="LogPBayes">ln P_B(f | S) from the NNGP with EP.</param>
/// <param name="TestError">Fraction of test inputs where it differs from the target.</param>
/// <param name="Complexity">Lempel–Ziv complexity of its whole truth table (S from the target, T from the function).</param>
/// <param name="PriorCount">Prior samples that fitted S and gave this function.</param>
public sealed record StudyFunction(string Function, long Count, double PSgd, double LogPBayes, double TestError, double Complexity, long PriorCount);

/// <summary>The probability mass of the N functions SGD found most often, under P_SGD and under P_B, and of the N with the largest P_B.</summary>
/// <param name="Top">N.</param>
/// <param name="Sgd">Σ P_SGD over SGD's top N.</param>
/// <param name="BayesOfSgdTop">Σ P_B over SGD's top N.</param>
/// <param name="Bayes">Σ P_B over the N observed functions with the largest P_B.</param>
public sealed record MassShare(int Top, double Sgd, double BayesOfSgdTop, double Bayes);

/// <summary>P_B of a frequent function three ways: EP on the NNGP, and direct sampling of the finite network's prior.</summary>
/// <param name="Function">Test labels.</param>
/// <param name="PSgd">P_SGD.</param>
/// <param name="PBayesEp">P_B by EP.</param>
/// <param name="PBayesSampled">Accepted prior samples with this function / all accepted.</param>
/// <param name="SampledStandardError">Its binomial standard error.</param>
/// <param name="PriorCount">Accepted prior samples with this function.</param>
public sealed record PriorCheck(string Function, double PSgd, double PBayesEp, double PBayesSampled, double SampledStandardError, long PriorCount);

/// <summary>The study's outcome.</summary>
public sealed record SgdVsBayesResult
{
    /// <summary>The settings.</summary>
    public required SgdVsBayesOptions Options { get; init; }

    /// <summary>The target's truth table (0/1 over all inputs).</summary>
    public required string TargetFunction { get; init; }

    /// <summary>The training inputs' indices.</summary>
    public required IReadOnlyList<int> TrainInputs { get; init; }

    /// <summary>Networks fitted within the budget.</summary>
    public long Fitted { get; init; }

    /// <summary>Networks that did not fit S within the budget.</summary>
    public long Unfitted { get; init; }

    /// <summary>Mean epoch of first 100% training accuracy.</summary>
    public double MeanEpochsToFit { get; init; }

    /// <summary>Distinct test functions found.</summary>
    public int DistinctFunctions { get; init; }

    /// <summary>Seconds to train the R networks.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>CPU seconds of the process while training (all threads).</summary>
    public double TrainingProcessorSeconds { get; init; }

    /// <summary>The system's 1-minute load average when training ended (Linux; NaN elsewhere): other jobs on the machine slow the wall time.</summary>
    public double LoadAverage { get; init; }

    /// <summary>Seconds of the EP estimates of P_B.</summary>
    public double BayesSeconds { get; init; }

    /// <summary>ln P(labels on S) under the NNGP (EP).</summary>
    public double LogTrainEvidence { get; init; }

    /// <summary>Functions seen at least <see cref="SgdVsBayesOptions.MinCount"/> times.</summary>
    public int FrequentFunctions { get; init; }

    /// <summary>Pearson correlation of log P_SGD and log P_B over the frequent functions.</summary>
    public double Correlation { get; init; }

    /// <summary>The same over every function found.</summary>
    public double CorrelationAll { get; init; }

    /// <summary>Probability mass of the top functions.</summary>
    public required IReadOnlyList<MassShare> MassShares { get; init; }

    /// <summary>Pearson correlation of log P_B with the test error over the functions found (negative: P_B favours low error).</summary>
    public double BayesErrorCorrelation { get; init; }

    /// <summary>Pearson correlation of log P_B with the Lempel–Ziv complexity over the functions found (negative: P_B favours simple functions).</summary>
    public double BayesComplexityCorrelation { get; init; }

    /// <summary>Mean test error of SGD's functions, weighted by P_SGD.</summary>
    public double SgdMeanTestError { get; init; }

    /// <summary>Mean test error over the functions found, weighted by P_B (normalised over them).</summary>
    public double BayesMeanTestError { get; init; }

    /// <summary>The target's own complexity.</summary>
    public double TargetComplexity { get; init; }

    /// <summary>Prior samples drawn for the check (0 when skipped).</summary>
    public long PriorSamples { get; init; }

    /// <summary>Prior samples that fitted S.</summary>
    public long PriorAccepted { get; init; }

    /// <summary>Seconds of the prior sampling.</summary>
    public double PriorSeconds { get; init; }

    /// <summary>The most frequent functions of the prior samples, three estimates each.</summary>
    public required IReadOnlyList<PriorCheck> PriorChecks { get; init; }

    /// <summary>Every function found, most frequent first (written to functions.json, not the summary).</summary>
    [JsonIgnore]
    public IReadOnlyList<StudyFunction> Functions { get; init; } = [];
}
