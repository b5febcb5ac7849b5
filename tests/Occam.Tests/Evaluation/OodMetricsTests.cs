using Occam.Evaluation;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class OodMetricsTests
{
    [Fact]
    public void Auroc_SklearnExample_Is075()
    {
        // sklearn's roc_auc_score(y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]) = 0.75:
        // of the 4 (OOD, in) pairs, 0.35 > 0.1, 0.8 > 0.1, 0.8 > 0.4 win and 0.35 < 0.4 loses.
        Assert.Equal(0.75, OodMetrics.Auroc([0.1, 0.4], [0.35, 0.8]), 12);
    }

    [Fact]
    public void Auroc_TiesCountHalf()
    {
        // Pairs: 0.5 vs 0.1 win, 0.5 vs 0.5 tie (½), 0.9 vs both win → 3.5 / 4.
        Assert.Equal(0.875, OodMetrics.Auroc([0.1, 0.5], [0.5, 0.9]), 12);
        // Identical sets: 3 wins, 3 ties, 3 losses → 4.5 / 9.
        Assert.Equal(0.5, OodMetrics.Auroc([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0.5, OodMetrics.Auroc([0.3, 0.3], [0.3, 0.3, 0.3]), 12);
    }

    [Fact]
    public void Auroc_PerfectAndInvertedSeparation()
    {
        Assert.Equal(1.0, OodMetrics.Auroc([0.1, 0.2, 0.3], [0.4, 0.5]), 12);
        Assert.Equal(0.0, OodMetrics.Auroc([0.4, 0.5], [0.1, 0.2, 0.3]), 12);
    }

    [Fact]
    public void Auroc_EmptyOrNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => OodMetrics.Auroc([], [0.5]));
        Assert.Throws<ArgumentException>(() => OodMetrics.Auroc([0.5], []));
        Assert.Throws<ArgumentException>(() => OodMetrics.Auroc([0.5, double.NaN], [0.5]));
    }

    [Fact]
    public void EntropyAuroc_UsesPredictiveEntropy()
    {
        using var scope = NewDisposeScope();
        // Entropies (nats): in [0.9, 0.1] → 0.3251, [0.5, 0.5] → 0.6931; OOD [0.6, 0.4] → 0.6730, [0.99, 0.01] → 0.0560.
        // Only 0.6730 > 0.3251 of the 4 pairs → 0.25.
        using var inDist = Predictive.Classification(tensor(new[] { 0.9, 0.1, 0.5, 0.5 }, new long[] { 2, 2 }, ScalarType.Float64).log());
        using var ood = Predictive.Classification(tensor(new[] { 0.6, 0.4, 0.99, 0.01 }, new long[] { 2, 2 }, ScalarType.Float64).log());

        Assert.Equal(0.25, OodMetrics.EntropyAuroc(inDist, ood), 12);
    }

    [Fact]
    public void MutualInformationAuroc_SeparatesDisagreeingMembers()
    {
        using var scope = NewDisposeScope();
        // In-distribution: both members agree (MI 0). OOD: members [0.9, 0.1] and [0.1, 0.9] disagree (MI > 0),
        // though the OOD average [0.5, 0.5] and the in-distribution [0.5, 0.5] have equal entropy.
        using var inDist = Predictive.Classification(tensor(new[] { 0.5, 0.5, 0.5, 0.5 }, new long[] { 2, 1, 2 }, ScalarType.Float64).log());
        using var ood = Predictive.Classification(tensor(new[] { 0.9, 0.1, 0.1, 0.9 }, new long[] { 2, 1, 2 }, ScalarType.Float64).log());

        Assert.Equal(1.0, OodMetrics.MutualInformationAuroc(inDist, ood), 12);
        using var hIn = inDist.Entropy();
        using var hOod = ood.Entropy();
        Assert.Equal(hIn.item<double>(), hOod.item<double>(), 12); // entropy alone cannot tell them apart
    }

    [Fact]
    public void EntropyAuroc_DifferentTasks_Throws()
    {
        using var scope = NewDisposeScope();
        using var classifier = Predictive.Classification(full(2, 2, Math.Log(0.5), dtype: ScalarType.Float64));
        using var regression = Predictive.Regression(zeros(2, 2), ones(2, 2));

        Assert.Throws<ArgumentException>(() => OodMetrics.EntropyAuroc(classifier, regression));
    }
}
