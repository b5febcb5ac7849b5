using Occam.ModelSelection;

namespace Occam.Tests.ModelSelection;

/// <summary>The summary's picks and its one-standard-error verdict, on hand-made results.</summary>
public sealed class SelectionSummaryTests
{
    private static CandidateResult Result(string candidate, int split, double evidence, double validationNll, double testLl, double testSe = 0.1) =>
        new(candidate, split, 10, new EvidenceSplit(evidence, evidence + 5, -5, -1, 3, 10, 4, [1.0], 0.5, "test", "MAP", false), validationNll, testLl, testSe, 1.0, 0.1);

    [Fact]
    public void OneSplit_PicksByEachCriterion_AndComparesWithTheBestsStandardErrorOverTestRows()
    {
        var summary = SelectionSummary.From([Result("a", 0, -10, 1.0, -1.25, 0.2), Result("b", 0, -20, 0.9, -1.0, 0.2), Result("c", 0, -30, 1.1, -1.5)]);
        Assert.Equal("a", summary.ByEvidence);
        Assert.Equal("b", summary.ByValidation);
        Assert.Equal("b", summary.BestOnTest);
        Assert.Equal(0.25, summary.EvidenceGap, 12);
        Assert.Null(summary.EvidenceGapSe);
        Assert.False(summary.EvidenceWithinOneSe); // 0.25 > 0.2
        Assert.Equal(["a"], summary.EvidencePicksPerSplit);
    }

    [Fact]
    public void SeveralSplits_AverageOverSplits_AndUseStandardErrorsOverSplits()
    {
        // a: evidence −10, −12 (mean −11), test LL −1.3, −1.45; b: evidence −12, −11 (mean −11.5), test LL −1.0, −1.4 (mean −1.2, se 0.2).
        var summary = SelectionSummary.From([
            Result("a", 0, -10, 1.0, -1.3), Result("b", 0, -12, 0.8, -1.0),
            Result("a", 1, -12, 1.0, -1.45), Result("b", 1, -11, 0.8, -1.4)]);
        Assert.Equal(2, summary.Splits);
        Assert.Equal("a", summary.ByEvidence);
        Assert.Equal("b", summary.ByValidation);
        Assert.Equal("b", summary.BestOnTest);
        Assert.Equal(["a", "b"], summary.EvidencePicksPerSplit);
        var b = summary.Candidates.Single(c => c.Candidate == "b");
        Assert.Equal(-1.2, b.TestLl, 12);
        Assert.Equal(0.2, b.TestLlSe, 12);
        Assert.Equal(0.175, summary.EvidenceGap, 12);
        Assert.Equal(0.125, summary.EvidenceGapSe!.Value, 12); // paired differences 0.3 and 0.05
        Assert.True(summary.EvidenceWithinOneSe);
    }

    [Fact]
    public void SplitsThatMissACandidate_AreRefused() =>
        Assert.Throws<ArgumentException>(() => SelectionSummary.From([Result("a", 0, -1, 1, -1), Result("b", 0, -1, 1, -1), Result("a", 1, -1, 1, -1)]));
}
