using System.Globalization;

namespace Occam.Active;

/// <summary>One round of an active-learning run: the model fitted on <see cref="Labels"/> labels, its test metrics, and what it acquired.</summary>
/// <param name="Round">Round number, from 0 (the initial set).</param>
/// <param name="Labels">Labelled points the model was fitted on.</param>
/// <param name="Accuracy">Classification: test accuracy (NaN for regression).</param>
/// <param name="Nll">Classification: test negative log-likelihood in nats per point (NaN for regression).</param>
/// <param name="Rmse">Regression: test RMSE in the target's units (NaN for classification).</param>
/// <param name="TestLogLikelihood">Regression: mean test log predictive density in nats (NaN for classification).</param>
/// <param name="FitSeconds">Wall time of the fit.</param>
/// <param name="ScoreSeconds">Wall time of scoring the pool and choosing the batch (0 in the last round).</param>
/// <param name="Acquired">Pool row indices acquired after this round's fit (empty in the last round).</param>
public sealed record RoundResult(int Round, int Labels, double Accuracy, double Nll, double Rmse, double TestLogLikelihood,
    double FitSeconds, double ScoreSeconds, long[] Acquired)
{
    /// <summary>Classification: test error 1 − accuracy.</summary>
    public double Error => 1 - Accuracy;

    /// <summary>The round as one line: labels, the test scores of its task and the times, e.g. "50 labels, accuracy 0.9123, NLL 0.2345 (fit 1.2 s, score 0.3 s)".</summary>
    public string Describe() => double.IsNaN(Accuracy)
        ? string.Create(CultureInfo.InvariantCulture, $"{Labels} labels, RMSE {Rmse:F4}, test LL {TestLogLikelihood:F4} (fit {FitSeconds:F1} s, score {ScoreSeconds:F1} s)")
        : string.Create(CultureInfo.InvariantCulture, $"{Labels} labels, accuracy {Accuracy:F4}, NLL {Nll:F4} (fit {FitSeconds:F1} s, score {ScoreSeconds:F1} s)");
}
