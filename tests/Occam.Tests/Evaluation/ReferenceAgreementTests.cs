using Occam.Evaluation;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class ReferenceAgreementTests
{
    [Fact]
    public void Classification_AgreementAndTotalVariation_ByHand()
    {
        using var p = Predictive.Classification(tensor(new[,] { { 0.7, 0.3 }, { 0.4, 0.6 } }).log());
        using var q = Predictive.Classification(tensor(new[,] { { 0.6, 0.4 }, { 0.7, 0.3 } }).log());
        var a = ReferenceAgreement.Classification(p, q);
        Assert.Equal(0.5, a.Agreement, 12); // same class on the first input only
        Assert.Equal(0.2, a.TotalVariation, 12); // ½(0.1 + 0.1) = 0.1 and ½(0.3 + 0.3) = 0.3
    }

    [Fact]
    public void Classification_UsesTheModelAverage()
    {
        // two members that each favour another class average to (0.5, 0.5) + ε for class 0
        using var p = Predictive.Classification(tensor(new[,,] { { { 0.92, 0.08 } }, { { 0.1, 0.9 } } }).log());
        using var q = Predictive.Classification(tensor(new[,] { { 0.51, 0.49 } }).log());
        var a = ReferenceAgreement.Classification(p, q);
        Assert.Equal(1.0, a.Agreement);
        Assert.Equal(0.0, a.TotalVariation, 12);
    }

    [Theory]
    [InlineData(0.0, 1.0, 1.0, 1.0, 1.0)]               // a shift: W1 = |Δμ|
    [InlineData(0.0, 1.0, 0.0, 2.0, 0.7978845608)]      // same mean: W1 = |σ₁ − σ₂| √(2/π)
    [InlineData(3.0, 0.5, 3.0, 0.5, 0.0)]               // the same distribution: only the sampling floor
    public void Wasserstein1_OfGaussians_MatchesTheClosedForm(double m1, double s1, double m2, double s2, double expected)
    {
        using var means1 = full(new long[] { 1, 4, 1 }, m1, ScalarType.Float64);
        using var means2 = full(new long[] { 1, 4, 1 }, m2, ScalarType.Float64);
        using var p = Predictive.Regression(means1, full(new long[] { 1, 4, 1 }, s1 * s1, ScalarType.Float64));
        using var q = Predictive.Regression(means2, full(new long[] { 1, 4, 1 }, s2 * s2, ScalarType.Float64));
        double w1 = ReferenceAgreement.Wasserstein1(p, q, samples: 20000, seed: 1);
        Assert.Equal(expected, w1, 1); // ±0.05
        Assert.True(Math.Abs(w1 - expected) < 0.03, $"W1 {w1} vs {expected}");
    }

    [Fact]
    public void Wasserstein1_OfMixtures_UsesEveryMember()
    {
        // p: equal mixture of N(−2, 0.01) and N(2, 0.01); q: N(−2, 0.01) only. Half the mass moves by 4: W1 = 2.
        using var p = Predictive.Regression(tensor(new[] { -2.0, 2.0 }).view(2, 1, 1), full(new long[] { 2, 1, 1 }, 1e-4, ScalarType.Float64));
        using var q = Predictive.Regression(tensor(new[] { -2.0 }).view(1, 1, 1), full(new long[] { 1, 1, 1 }, 1e-4, ScalarType.Float64));
        Assert.Equal(2.0, ReferenceAgreement.Wasserstein1(p, q, samples: 20000, seed: 2), 1);
    }

    [Fact]
    public void MismatchedPredictives_AreRefused()
    {
        using var a = Predictive.Regression(zeros(1, 3, 1, ScalarType.Float64), ones(1, 3, 1, ScalarType.Float64));
        using var b = Predictive.Regression(zeros(1, 4, 1, ScalarType.Float64), ones(1, 4, 1, ScalarType.Float64));
        using var c = Predictive.Classification(zeros(1, 3, 2, ScalarType.Float64));
        using var d = c.Slice(0, 2);
        Assert.Throws<ArgumentException>(() => ReferenceAgreement.Wasserstein1(a, b));
        Assert.Throws<ArgumentException>(() => ReferenceAgreement.Wasserstein1(a, c));
        Assert.Throws<ArgumentException>(() => ReferenceAgreement.Classification(c, d));
    }
}
