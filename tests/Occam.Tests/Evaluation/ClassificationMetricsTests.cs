using Occam.Evaluation;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private static Predictive FromProbabilities(double[] probabilities, params long[] shape)
    {
        using var scope = NewDisposeScope();
        return Predictive.Classification(tensor(probabilities, shape, ScalarType.Float64).log());
    }

    private static Tensor Labels(params long[] labels) => tensor(labels, ScalarType.Int64);

    [Fact]
    public void Compute_FourExamplesThreeClasses_MatchHandValues()
    {
        using var scope = NewDisposeScope();
        //  probabilities        label  argmax  correct  confidence → bin (15 bins, (b/15, (b+1)/15])
        //  [0.70, 0.20, 0.10]   0      0       yes      0.70 → 10 (0.667, 0.733]
        //  [0.25, 0.65, 0.10]   1      1       yes      0.65 →  9 (0.600, 0.667]
        //  [0.50, 0.40, 0.10]   1      0       no       0.50 →  7 (0.467, 0.533]
        //  [0.20, 0.15, 0.65]   0      2       no       0.65 →  9
        // Accuracy 2/4 = 0.5.
        // NLL = −(ln 0.7 + ln 0.65 + ln 0.4 + ln 0.2)/4 = (0.35667 + 0.43078 + 0.91629 + 1.60944)/4 = 0.8282966.
        // Brier: 0.09+0.04+0.01 = 0.14; 0.0625+0.1225+0.01 = 0.195; 0.25+0.36+0.01 = 0.62; 0.64+0.0225+0.4225 = 1.085;
        //        sum 2.04, mean 0.51.
        // ECE: bin 10: ¼·|1 − 0.7| = 0.075; bin 9: ½·|0.5 − 0.65| = 0.075; bin 7: ¼·|0 − 0.5| = 0.125 → 0.275.
        // MCE: max(0.3, 0.15, 0.5) = 0.5.
        using var p = FromProbabilities([0.70, 0.20, 0.10, 0.25, 0.65, 0.10, 0.50, 0.40, 0.10, 0.20, 0.15, 0.65], 4, 3);

        var s = ClassificationMetrics.Compute(p, Labels(0, 1, 1, 0));

        Assert.Equal(0.5, s.Accuracy, 12);
        Assert.Null(s.Top5Accuracy);
        Assert.Equal(0.8282966260848605, s.Nll, 10);
        Assert.Equal(0.51, s.Brier, 10);
        Assert.Equal(0.275, s.Ece, 10);
        Assert.Equal(0.5, s.Mce, 10);
        Assert.Equal(4, s.Count);
        Assert.Equal(15, s.Reliability.Length);
        Assert.Equal(2, s.Reliability[9].Count);
        Assert.Equal(0.5, s.Reliability[9].Accuracy, 12);
        Assert.Equal(0.65, s.Reliability[9].MeanConfidence, 12);
        Assert.Equal(1, s.Reliability[7].Count);
        Assert.Equal(1, s.Reliability[10].Count);
        Assert.Equal(4, s.Reliability.Sum(b => b.Count));
    }

    [Fact]
    public void Compute_TwoMembers_UsesAveragedProbabilities()
    {
        using var scope = NewDisposeScope();
        // Members [0.9, 0.1] and [0.5, 0.5] average to [0.7, 0.3]; label 0.
        // NLL = −ln 0.7 = 0.3566749 (averaging log-probabilities would give −½(ln 0.9 + ln 0.5) = 0.3992538).
        // Brier = 0.3² + 0.3² = 0.18. Confidence 0.7, correct → ECE = MCE = 0.3.
        using var p = FromProbabilities([0.9, 0.1, 0.5, 0.5], 2, 1, 2);

        var s = ClassificationMetrics.Compute(p, Labels(0));

        Assert.Equal(1.0, s.Accuracy);
        Assert.Equal(0.35667494393873245, s.Nll, 10);
        Assert.Equal(0.18, s.Brier, 10);
        Assert.Equal(0.3, s.Ece, 10);
    }

    [Fact]
    public void Compute_TiedProbabilities_PredictLowestIndex()
    {
        using var scope = NewDisposeScope();
        using var p = FromProbabilities([0.4, 0.4, 0.2], 1, 3);

        Assert.Equal(1.0, ClassificationMetrics.Compute(p, Labels(0)).Accuracy);
        Assert.Equal(0.0, ClassificationMetrics.Compute(p, Labels(1)).Accuracy);
    }

    [Fact]
    public void Compute_Top5_CountsLabelsRankedFifthButNotSixth_AndIsNullUpToFiveClasses()
    {
        using var scope = NewDisposeScope();
        double[] row = [0.30, 0.20, 0.15, 0.12, 0.10, 0.08, 0.05];
        using var p = FromProbabilities([.. row, .. row], 2, 7);
        using var five = FromProbabilities([0.3, 0.3, 0.2, 0.1, 0.1], 1, 5);

        // Label 4 (p = 0.10) is ranked 5th: a hit; label 5 (p = 0.08) is 6th: a miss. Argmax is 0: accuracy 0.
        var s = ClassificationMetrics.Compute(p, Labels(4, 5));

        Assert.Equal(0.5, s.Top5Accuracy!.Value, 12);
        Assert.Equal(0.0, s.Accuracy);
        Assert.Null(ClassificationMetrics.Compute(five, Labels(2)).Top5Accuracy);
    }

    [Fact]
    public void Compute_WrongLabelsOrTask_ThrowsStatingExpectedShape()
    {
        using var scope = NewDisposeScope();
        using var p = FromProbabilities([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 4, 2);
        using var regression = Predictive.Regression(zeros(4, 1), ones(4, 1));

        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(p, tensor(new int[] { 0, 1, 0, 1 })));
        Assert.Contains("int64 [4]", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(p, Labels(0, 1, 0)));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(p, Labels(0, 1, 0, 2)));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(regression, Labels(0, 1, 0, 1)));
    }

    [Fact]
    public void Compute_LeavesNoLiveTensors()
    {
        using var g = new Generator(11);
        using var logits = randn(4, 6, 7, dtype: ScalarType.Float64, generator: g);
        using var logProbabilities = logits.log_softmax(2);
        using var p = Predictive.Classification(logProbabilities);
        using var y = randint(0, 7, new long[] { 6 }, generator: g);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        ClassificationMetrics.Compute(p, y);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
