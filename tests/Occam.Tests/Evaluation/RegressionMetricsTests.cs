using Occam.Evaluation;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class RegressionMetricsTests
{
    private static Tensor T(double[] values, params long[] shape) => tensor(values, shape, ScalarType.Float64);

    [Fact]
    public void Compute_SingleGaussian_CoverageRmseAndLogLikelihoodMatchHandValues()
    {
        using var scope = NewDisposeScope();
        // One member, N = 4, T = 1, means [1, 0, -2, 3], variance 4 (sd 2); targets at z = 0.5, -0.7, 1.7, -2.0.
        // |Φ(z) − ½| = 0.1915, 0.2580, 0.4554, 0.4772:
        //   50% (≤ 0.25): only z = 0.5            → 1/4
        //   90% (≤ 0.45): z = 0.5, -0.7           → 2/4
        //   95% (≤ 0.475): z = 0.5, -0.7, 1.7     → 3/4
        using var p = Predictive.Regression(T([1, 0, -2, 3], 4, 1), T([4, 4, 4, 4], 4, 1));
        using var y = T([2, -1.4, 1.4, -1], 4, 1);

        var s = RegressionMetrics.Compute(p, y);

        Assert.Equal(0.25, s.Coverage50, 12);
        Assert.Equal(0.50, s.Coverage90, 12);
        Assert.Equal(0.75, s.Coverage95, 12);
        // Errors 2z = 1, -1.4, 3.4, -4 → squares 1 + 1.96 + 11.56 + 16 = 30.52; mean 7.63; √7.63 = 2.7622455.
        Assert.Equal(2.7622454633866265, s.Rmse, 10);
        // log N(y; μ, 4) = −½ log(8π) − z²/2; mean z² = 7.63/4 → −1.6120857 − 0.95375 = −2.5658357.
        Assert.Equal(-2.565835713764618, s.TestLogLikelihood, 10);
        Assert.Equal(2.0, s.MeanPredictiveSd, 12);
        Assert.Equal(4, s.Count);
    }

    [Fact]
    public void Compute_TwoMemberMixture_UsesExactMixtureDensityAndInterval()
    {
        using var scope = NewDisposeScope();
        // Members N(0, 1) and N(2, 1); y = 0.
        // Density ½(φ(0) + φ(2)) = ½(0.3989423 + 0.0539910) = 0.2264666 → log = −1.4851577.
        // Mixture CDF ½(Φ(0) + Φ(−2)) = ½(0.5 + 0.0227501) = 0.2613751 → |F − ½| = 0.2386 ≤ 0.25: inside the 50% interval.
        // (A moment-matched N(1, 2) would put y at z = −0.707, |Φ − ½| = 0.2602: outside. Exactness matters.)
        using var p = Predictive.Regression(T([0, 2], 2, 1, 1), T([1, 1], 2, 1, 1));
        using var y = T([0], 1, 1);

        var s = RegressionMetrics.Compute(p, y);

        Assert.Equal(-1.4851577027216454, s.TestLogLikelihood, 10);
        Assert.Equal(1.0, s.Coverage50, 12);
        Assert.Equal(1.0, s.Rmse, 12);                   // mean 1, y 0
        Assert.Equal(Math.Sqrt(2), s.MeanPredictiveSd, 12); // aleatoric 1 + epistemic 1
    }

    [Fact]
    public void Compute_SeveralTargets_LogLikelihoodIsPerExampleAndRmseOverAllEntries()
    {
        using var scope = NewDisposeScope();
        // One member, N = 2, T = 2, mean 0, variance 1; y = [[1, −1], [0, 0]].
        // Example 0: 2·(−½ log 2π − ½) = −log 2π − 1; example 1: −log 2π. Mean over N: −log 2π − ½ = −2.3378771.
        // RMSE over the 4 entries: √((1 + 1 + 0 + 0)/4) = √0.5.
        using var p = Predictive.Regression(zeros(2, 2, dtype: ScalarType.Float64), ones(2, 2, dtype: ScalarType.Float64));
        using var y = T([1, -1, 0, 0], 2, 2).to_type(ScalarType.Float32);

        var s = RegressionMetrics.Compute(p, y);

        Assert.Equal(-2.3378770664093453, s.TestLogLikelihood, 6);
        Assert.Equal(Math.Sqrt(0.5), s.Rmse, 12);
        Assert.Equal(2, s.Count);
    }

    [Fact]
    public void Compute_WrongShapeOrTask_ThrowsStatingExpectedShape()
    {
        using var scope = NewDisposeScope();
        using var p = Predictive.Regression(zeros(4, 1, dtype: ScalarType.Float64), ones(4, 1, dtype: ScalarType.Float64));
        using var flat = zeros(4, dtype: ScalarType.Float64);
        using var integers = zeros(new long[] { 4, 1 }, dtype: ScalarType.Int64);
        using var classifier = Predictive.Classification(full(4, 3, Math.Log(1.0 / 3), dtype: ScalarType.Float64));

        var e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute(p, flat));
        Assert.Contains("[4, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute(p, integers));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute(classifier, flat));
    }

    [Fact]
    public void Compute_LeavesNoLiveTensors()
    {
        using var g = new Generator(7);
        using var means = randn(3, 5, 2, dtype: ScalarType.Float64, generator: g);
        using var variances = rand(3, 5, 2, dtype: ScalarType.Float64, generator: g).add_(0.1);
        using var p = Predictive.Regression(means, variances);
        using var y = randn(5, 2, generator: g);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        RegressionMetrics.Compute(p, y);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
