using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

public sealed class PredictiveTests
{
    [Fact]
    public void Regression_MixtureMoments_MatchHandComputation()
    {
        // Two members at one input: N(1, 0.5) and N(3, 1.5).
        using var means = tensor(new double[] { 1, 3 }).view(2, 1, 1);
        using var vars = tensor(new double[] { 0.5, 1.5 }).view(2, 1, 1);
        using var p = Predictive.Regression(means, vars);
        using var mean = p.Mean;
        using var aleatoric = p.Aleatoric;
        using var epistemic = p.Epistemic;
        using var variance = p.Variance;
        Assert.Equal(2.0, mean.item<double>(), 12);
        Assert.Equal(1.0, aleatoric.item<double>(), 12);   // (0.5 + 1.5) / 2
        Assert.Equal(1.0, epistemic.item<double>(), 12);   // ((1−2)² + (3−2)²) / 2
        Assert.Equal(2.0, variance.item<double>(), 12);
    }

    [Fact]
    public void Regression_LogDensity_IsLogOfAveragedGaussians()
    {
        using var means = tensor(new double[] { 1, 3 }).view(2, 1, 1);
        using var vars = tensor(new double[] { 0.5, 1.5 }).view(2, 1, 1);
        using var p = Predictive.Regression(means, vars);
        using var y = tensor(new double[] { 2.5 }).view(1, 1);
        using var ll = p.LogDensity(y);
        static double Normal(double x, double m, double v) => Math.Exp(-(x - m) * (x - m) / (2 * v)) / Math.Sqrt(2 * Math.PI * v);
        double expected = Math.Log(0.5 * Normal(2.5, 1, 0.5) + 0.5 * Normal(2.5, 3, 1.5));
        Assert.Equal(expected, ll.item<double>(), 10);
    }

    [Fact]
    public void Regression_Cdf_IsAverageOfMemberCdfs()
    {
        using var means = tensor(new double[] { 0, 2 }).view(2, 1, 1);
        using var vars = tensor(new double[] { 1, 4 }).view(2, 1, 1);
        using var p = Predictive.Regression(means, vars);
        using var y = tensor(new double[] { 1 }).view(1, 1);
        using var cdf = p.Cdf(y);
        // Φ(1) = 0.841344746, Φ(−0.5) = 0.308537539
        Assert.Equal(0.5 * (0.841344746 + 0.308537539), cdf.item<double>(), 8);
    }

    [Fact]
    public void Classification_AveragesProbabilities_AndSplitsEntropy()
    {
        // Member 1: (0.9, 0.1); member 2: (0.1, 0.9) → average (0.5, 0.5).
        using var logp = tensor(new double[] { 0.9, 0.1, 0.1, 0.9 }).view(2, 1, 2).log();
        using var p = Predictive.Classification(logp);
        using var probs = p.Probabilities;
        using var h = p.Entropy();
        using var eh = p.ExpectedEntropy();
        using var mi = p.MutualInformation();
        using var ld = p.LogDensity(tensor(new long[] { 0 }));
        Assert.Equal(0.5, probs[0, 0].item<double>(), 12);
        Assert.Equal(Math.Log(2), h.item<double>(), 12);
        double memberEntropy = -(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1));
        Assert.Equal(memberEntropy, eh.item<double>(), 12);
        Assert.Equal(Math.Log(2) - memberEntropy, mi.item<double>(), 12);
        Assert.Equal(Math.Log(0.5), ld.item<double>(), 12);
    }

    [Fact]
    public void Affine_RescalesMeansAndVariances()
    {
        using var means = tensor(new double[] { 1, 3 }).view(2, 1, 1);
        using var vars = tensor(new double[] { 0.5, 1.5 }).view(2, 1, 1);
        using var p = Predictive.Regression(means, vars);
        using var q = p.Affine([10], [2]);
        using var mean = q.Mean;
        using var variance = q.Variance;
        Assert.Equal(14.0, mean.item<double>(), 12);
        Assert.Equal(8.0, variance.item<double>(), 12);
    }

    [Fact]
    public void LogDensity_RejectsWrongShapesAndLabels()
    {
        using var p = Predictive.Classification(tensor(new double[] { 0.5, 0.5 }).view(1, 1, 2).log());
        Assert.Throws<ArgumentException>(() => p.LogDensity(tensor(new long[] { 2 })));
        Assert.Throws<ArgumentException>(() => p.LogDensity(tensor(new long[] { 0, 1 })));
        Assert.Throws<InvalidOperationException>(() => p.Aleatoric);
    }
}
