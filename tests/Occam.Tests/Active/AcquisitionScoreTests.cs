using Occam.Active;
using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Tests.Active;

/// <summary>Acquisition scores against hand computations on small probability tables.</summary>
public sealed class AcquisitionScoreTests
{
    private static readonly double Ln2 = Math.Log(2);
    private static double H(params double[] p) => -p.Where(v => v > 0).Sum(v => v * Math.Log(v));

    /// <summary>
    /// Three inputs, two members, two classes: x₀ the members disagree, (0.9, 0.1) and (0.1, 0.9); x₁ both
    /// are unsure alike, (0.5, 0.5); x₂ both are sure, (0.99, 0.01).
    /// </summary>
    private static Predictive Table() => Predictive.Classification(tensor(new double[]
    {
        0.9, 0.1, 0.5, 0.5, 0.99, 0.01, // member 1: x₀, x₁, x₂
        0.1, 0.9, 0.5, 0.5, 0.99, 0.01, // member 2
    }).view(2, 3, 2).log());

    private static double[] Scores(Acquisition acquisition, Predictive predictive)
    {
        using var scores = acquisition.Score(predictive);
        Assert.Equal(ScalarType.Float64, scores.dtype);
        return scores.data<double>().ToArray();
    }

    [Fact]
    public void Bald_IsEntropyOfTheMeanMinusMeanEntropy()
    {
        using var table = Table();
        var bald = Scores(new Bald(), table);
        Assert.Equal(Ln2 - H(0.9, 0.1), bald[0], 12); // 0.693147 − 0.325083 = 0.368064
        Assert.Equal(0.0, bald[1], 12);               // ambiguous, but the members agree: no information about the weights
        Assert.Equal(0.0, bald[2], 12);
    }

    [Fact]
    public void MaxEntropy_IsEntropyOfTheMean()
    {
        using var table = Table();
        var entropy = Scores(new MaxEntropy(), table);
        Assert.Equal(Ln2, entropy[0], 12);
        Assert.Equal(Ln2, entropy[1], 12);
        Assert.Equal(H(0.99, 0.01), entropy[2], 12);
    }

    [Fact]
    public void VariationRatios_CountsVotesForTheModalClass()
    {
        using var table = Table();
        var ratios = Scores(new VariationRatios(), table);
        Assert.Equal(0.5, ratios[0], 12); // one vote each: 1 − 1/2
        Assert.Equal(0.0, ratios[1], 12); // ties go to class 0 for both members
        Assert.Equal(0.0, ratios[2], 12);

        // Three members voting 0, 0, 1 over three classes: 1 − 2/3.
        using var three = Predictive.Classification(tensor(new double[] { 0.6, 0.3, 0.1, 0.5, 0.4, 0.1, 0.2, 0.7, 0.1 }).view(3, 1, 3).log());
        Assert.Equal(1.0 / 3, Scores(new VariationRatios(), three)[0], 12);
    }

    [Fact]
    public void MeanStd_AveragesTheClassProbabilitiesStandardDeviation()
    {
        using var table = Table();
        var std = Scores(new MeanStd(), table);
        Assert.Equal(0.4, std[0], 12); // √((0.81 + 0.01)/2 − 0.5²) = 0.4 for both classes
        Assert.Equal(0.0, std[1], 12);
        Assert.Equal(0.0, std[2], 12);

        // Three classes: p₁ = (0.6, 0.3, 0.1), p₂ = (0.2, 0.3, 0.5): σ = (0.2, 0, 0.2), mean 0.4/3.
        using var three = Predictive.Classification(tensor(new double[] { 0.6, 0.3, 0.1, 0.2, 0.3, 0.5 }).view(2, 1, 3).log());
        Assert.Equal(0.4 / 3, Scores(new MeanStd(), three)[0], 12);
    }

    [Fact]
    public void EpistemicVariance_IsTheMembersMeansVarianceSummedOverTargets()
    {
        // Two members at one input with two targets: means (1, 10) and (3, 14); noise variances ignored.
        using var means = tensor(new double[] { 1, 10, 3, 14 }).view(2, 1, 2);
        using var noise = tensor(new double[] { 5, 5, 7, 7 }).view(2, 1, 2);
        using var predictive = Predictive.Regression(means, noise);
        Assert.Equal(1.0 + 4.0, Scores(new EpistemicVariance(), predictive)[0], 12);
    }

    [Fact]
    public void Bald_ForRegression_IsHalfLogOfTotalOverAleatoricVariance()
    {
        using var means = tensor(new double[] { 1, 3 }).view(2, 1, 1);
        using var noise = tensor(new double[] { 1, 1 }).view(2, 1, 1);
        using var predictive = Predictive.Regression(means, noise);
        Assert.Equal(0.5 * Math.Log(2.0 / 1.0), Scores(new Bald(), predictive)[0], 12); // total 1 + 1, aleatoric 1
    }

    [Fact]
    public void TopB_TakesTheHighestScores_TiesByPosition()
    {
        using var table = Table();
        using var bald = new Bald().Score(table);
        Assert.Equal(new long[] { 0 }, Selection.Top(bald, 1).Positions);
        using var entropy = new MaxEntropy().Score(table);
        Assert.Equal(new long[] { 0, 1 }, Selection.Top(entropy, 2).Positions); // equal entropies: the lower position first
        Assert.Equal(new long[] { 0, 1, 2 }, Selection.Top(entropy, 10).Positions);
    }

    [Fact]
    public void Capabilities_SayWhatNeedsAnEpistemicPartAndWhichTask()
    {
        Assert.True(new Bald().RequiresEpistemic);
        Assert.True(new VariationRatios().RequiresEpistemic);
        Assert.True(new MeanStd().RequiresEpistemic);
        Assert.True(new BatchBald().RequiresEpistemic);
        Assert.True(new EpistemicVariance().RequiresEpistemic);
        Assert.False(new MaxEntropy().RequiresEpistemic);
        Assert.False(new RandomAcquisition().RequiresEpistemic);
        Assert.False(new EpistemicVariance().Supports(TaskKind.Classification));
        Assert.False(new VariationRatios().Supports(TaskKind.Regression));
        Assert.True(new RandomAcquisition().Supports(TaskKind.Regression));
    }

    [Fact]
    public void Parse_KnowsNamesAndAliases_AndRefusesUnknownRepeatedOrWrongTask()
    {
        Assert.Equal(["bald", "entropy", "variation-ratios", "mean-std", "random"],
            Acquisitions.Parse("bald, max-entropy,var-ratios,mean-std,random", TaskKind.Classification).Select(a => a.Name));
        var unknown = Assert.Throws<ArgumentException>(() => Acquisitions.Parse("bald,margin", TaskKind.Classification));
        Assert.Contains("unknown acquisition function 'margin'", unknown.Message);
        Assert.Contains("variation-ratios", unknown.Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => Acquisitions.Parse("bald,bald", TaskKind.Classification)).Message);
        Assert.Contains("does not score regression", Assert.Throws<ArgumentException>(() => Acquisitions.Parse("mean-std", TaskKind.Regression)).Message);
    }
}
