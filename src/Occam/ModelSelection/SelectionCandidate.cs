using Occam.Models;

namespace Occam.ModelSelection;

/// <summary>One model of a selection: an architecture (the rest of the model setup is shared by every candidate).</summary>
/// <param name="Label">How reports name it (e.g. "50,50" or "linear").</param>
/// <param name="Network">The architecture.</param>
public sealed record SelectionCandidate(string Label, NetworkSpec Network);

/// <summary>One candidate fitted on one split: its evidence split and held-out scores (held-out values in original units, per example).</summary>
/// <param name="Candidate">The candidate's label.</param>
/// <param name="Split">The split index.</param>
/// <param name="NetworkParameters">Weights of the whole network (the evidence covers <see cref="EvidenceSplit.Parameters"/> of them).</param>
/// <param name="Evidence">The evidence split on the fitting rows (standardised units).</param>
/// <param name="ValidationNll">Mean negative log predictive density on the validation rows.</param>
/// <param name="TestLl">Mean log predictive density on the test rows.</param>
/// <param name="TestLlSe">Its standard error over the test rows (sd / √n).</param>
/// <param name="TestRmse">Test RMSE for regression, else null.</param>
/// <param name="Seconds">Wall time of the fit and the scores.</param>
public sealed record CandidateResult(string Candidate, int Split, long NetworkParameters, EvidenceSplit Evidence, double ValidationNll, double TestLl,
    double TestLlSe, double? TestRmse, double Seconds);
