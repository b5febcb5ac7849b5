using Occam.Data;
using Occam.Evaluation.Diagnostics;
using Occam.Inference;

namespace Occam.Evaluation;

/// <summary>Scores of a posterior on a dataset: one of the two parts is set, by task.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Regression">Regression scores (original units), or null.</param>
/// <param name="Classification">Classification scores, or null.</param>
public sealed record EvaluationResult(string Method, string Dataset, RegressionScores? Regression, ClassificationScores? Classification)
{
    /// <summary>Convergence diagnostics of a posterior made of Markov chains (R̂ and ESS on its summaries, the sampler's statistics), or null.</summary>
    public SamplingDiagnostics? Sampling { get; init; }
}

/// <summary>Predicts a dataset with a posterior and computes the task's metrics.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="posterior"/> on <paramref name="data"/>; a sampled posterior also gets its convergence diagnostics (predictions at the first inputs among the summaries).</summary>
    public static EvaluationResult Evaluate(IPosterior posterior, Dataset data, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(data);
        if (posterior.Task != data.Task)
            throw new ArgumentException($"The model was fitted for {posterior.Task} but the data is {data.Task}.", nameof(data));
        using var predictive = posterior.Predict(data.Inputs, options);
        var result = data.Task == TaskKind.Regression
            ? new EvaluationResult(posterior.Method, data.Name, RegressionMetrics.Compute(predictive, data.Targets), null)
            : new EvaluationResult(posterior.Method, data.Name, null, ClassificationMetrics.Compute(predictive, data.Targets));
        return result with { Sampling = ChainDiagnostics.Of(posterior, data.Inputs) };
    }
}
