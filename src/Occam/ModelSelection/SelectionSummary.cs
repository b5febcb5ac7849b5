using Occam.Evaluation;

namespace Occam.ModelSelection;

/// <summary>One candidate over all splits: means and standard errors (over splits; over test rows when there is one split).</summary>
/// <param name="Candidate">The candidate's label.</param>
/// <param name="NetworkParameters">Weights of the whole network.</param>
/// <param name="EvidenceParameters">Weights the Gaussian covers.</param>
/// <param name="LogEvidence">Mean log evidence (standardised units).</param>
/// <param name="LogEvidenceSe">Its standard error over splits (0 for one split).</param>
/// <param name="DataFit">Mean data fit.</param>
/// <param name="OccamFactor">Mean Occam factor.</param>
/// <param name="EffectiveDimension">Mean N_eff, or null when unknown.</param>
/// <param name="ValidationNll">Mean validation NLL per example.</param>
/// <param name="TestLl">Mean test log-likelihood per example.</param>
/// <param name="TestLlSe">Its standard error: over splits, or over test rows for one split.</param>
/// <param name="TestRmse">Mean test RMSE (regression), else null.</param>
public sealed record CandidateSummary(string Candidate, long NetworkParameters, long EvidenceParameters, double LogEvidence, double LogEvidenceSe, double DataFit,
    double OccamFactor, double? EffectiveDimension, double ValidationNll, double TestLl, double TestLlSe, double? TestRmse);

/// <summary>
/// The outcome of a selection: per-candidate summaries, the candidate the evidence picks (highest mean log evidence),
/// the one validation picks (lowest mean validation NLL), the best on test (highest mean test LL), and whether the
/// evidence's pick is within one standard error of the best's test LL.
/// </summary>
/// <param name="Splits">Splits run.</param>
/// <param name="Candidates">One summary per candidate, in the order given.</param>
/// <param name="ByEvidence">The evidence's pick.</param>
/// <param name="ByValidation">Validation NLL's pick.</param>
/// <param name="BestOnTest">The candidate with the highest mean test LL.</param>
/// <param name="EvidenceGap">Test LL of the best minus that of the evidence's pick (≥ 0).</param>
/// <param name="EvidenceGapSe">Standard error of that gap over splits, from the paired differences (null for one split).</param>
/// <param name="EvidenceWithinOneSe">Whether the gap is at most the best candidate's test-LL standard error.</param>
/// <param name="EvidencePicksPerSplit">The evidence's pick on each split.</param>
/// <param name="Heuristic">True when the evidence comes from SWAG's covariance (not a curvature).</param>
public sealed record SelectionSummary(int Splits, IReadOnlyList<CandidateSummary> Candidates, string ByEvidence, string ByValidation, string BestOnTest,
    double EvidenceGap, double? EvidenceGapSe, bool EvidenceWithinOneSe, IReadOnlyList<string> EvidencePicksPerSplit, bool Heuristic)
{
    /// <summary>Summarises the results of every candidate on every split (each split must hold every candidate once).</summary>
    /// <exception cref="ArgumentException">No results, or splits that do not hold the same candidates.</exception>
    public static SelectionSummary From(IReadOnlyList<CandidateResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("There are no results to summarise.", nameof(results));
        var labels = results.Select(r => r.Candidate).Distinct().ToList();
        var splits = results.GroupBy(r => r.Split).OrderBy(g => g.Key).ToList();
        if (splits.Any(g => g.Count() != labels.Count || g.Select(r => r.Candidate).Distinct().Count() != labels.Count))
            throw new ArgumentException("Every split must hold every candidate exactly once.", nameof(results));
        var summaries = labels.Select(label => Summarise(label, results.Where(r => r.Candidate == label).OrderBy(r => r.Split).ToList())).ToList();
        string byEvidence = summaries.MaxBy(s => s.LogEvidence)!.Candidate;
        string byValidation = summaries.MinBy(s => s.ValidationNll)!.Candidate;
        var best = summaries.MaxBy(s => s.TestLl)!;
        var chosen = summaries.First(s => s.Candidate == byEvidence);
        double gap = best.TestLl - chosen.TestLl;
        double? gapSe = null;
        if (splits.Count > 1)
        {
            var differences = splits.Select(g => g.First(r => r.Candidate == best.Candidate).TestLl - g.First(r => r.Candidate == byEvidence).TestLl).ToList();
            gapSe = UciProtocol.StandardError(differences);
        }
        var picks = splits.Select(g => g.MaxBy(r => r.Evidence.LogEvidence)!.Candidate).ToList();
        return new SelectionSummary(splits.Count, summaries, byEvidence, byValidation, best.Candidate, gap, gapSe, gap <= best.TestLlSe, picks,
            results.Any(r => r.Evidence.IsHeuristic));
    }

    private static CandidateSummary Summarise(string label, List<CandidateResult> runs)
    {
        var effective = runs.Select(r => r.Evidence.EffectiveDimension).ToList();
        var testLl = runs.Select(r => r.TestLl).ToList();
        return new CandidateSummary(label, runs[0].NetworkParameters, runs[0].Evidence.Parameters,
            runs.Average(r => r.Evidence.LogEvidence), UciProtocol.StandardError(runs.Select(r => r.Evidence.LogEvidence).ToList()),
            runs.Average(r => r.Evidence.DataFit), runs.Average(r => r.Evidence.OccamFactor),
            effective.All(e => e is not null) ? effective.Average(e => e!.Value) : null,
            runs.Average(r => r.ValidationNll), testLl.Average(), runs.Count > 1 ? UciProtocol.StandardError(testLl) : runs[0].TestLlSe,
            runs.All(r => r.TestRmse is not null) ? runs.Average(r => r.TestRmse!.Value) : null);
    }
}
