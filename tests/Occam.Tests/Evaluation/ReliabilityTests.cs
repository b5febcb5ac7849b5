using Occam.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class ReliabilityTests
{
    private static Tensor Confidences(params double[] c) => tensor(c, ScalarType.Float64);
    private static Tensor Correct(params bool[] c) => tensor(c);

    [Fact]
    public void Bins_EdgesAreUpperInclusive_ZeroGoesToFirstBin()
    {
        using var scope = NewDisposeScope();
        // 15 bins; bin b = (b/15, (b+1)/15].
        //   0      → bin 0 (the closed first bin)
        //   1/15   → bin 0 (upper edge inclusive)
        //   0.6    → bin 8 = (8/15, 9/15] since 9/15 = 0.6
        //   0.6001 → bin 9
        //   1      → bin 14
        var bins = Reliability.Bins(Confidences(0, 1.0 / 15, 0.6, 0.6001, 1), Correct(true, true, true, true, true), 15);

        Assert.Equal(15, bins.Length);
        long[] expected = new long[15];
        expected[0] = 2; expected[8] = 1; expected[9] = 1; expected[14] = 1;
        Assert.Equal(expected, bins.Select(b => b.Count).ToArray());
        Assert.Equal(8.0 / 15, bins[8].Lower, 15);
        Assert.Equal(0.6, bins[8].Upper, 15);
        Assert.Equal(0.6, bins[8].MeanConfidence, 15);
        Assert.Equal(0.0, bins[0].Lower);
        Assert.Equal(1.0, bins[14].Upper);
    }

    [Fact]
    public void Bins_EmptyBinsHaveZeroCountAndNaNMeans()
    {
        using var scope = NewDisposeScope();
        var bins = Reliability.Bins(Confidences(0.95), Correct(false), 10);

        Assert.All(bins.Take(9), b => { Assert.Equal(0, b.Count); Assert.True(double.IsNaN(b.MeanConfidence)); Assert.True(double.IsNaN(b.Accuracy)); });
        Assert.Equal(new ReliabilityBin(0.9, 1.0, 1, 0.95, 0.0), bins[9]);
    }

    [Fact]
    public void CalibrationErrors_MatchHandValues()
    {
        using var scope = NewDisposeScope();
        // Confidences 0.6, 0.6, 0.95 with correctness T, F, T; 15 bins.
        //   bin 8 (8/15, 0.6]: n = 2, acc 0.5, conf 0.6  → |gap| 0.1
        //   bin 14 (14/15, 1]: n = 1, acc 1,   conf 0.95 → |gap| 0.05
        // ECE = 2/3 · 0.1 + 1/3 · 0.05 = 0.083333…; MCE = 0.1.
        var bins = Reliability.Bins(Confidences(0.6, 0.6, 0.95), Correct(true, false, true));

        Assert.Equal(0.25 / 3, Reliability.ExpectedCalibrationError(bins), 12);
        Assert.Equal(0.1, Reliability.MaximumCalibrationError(bins), 12);
    }

    [Fact]
    public void Bins_BadInputs_Throw()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Reliability.Bins(Confidences(0.5, 1.2), Correct(true, true)));
        Assert.Throws<ArgumentException>(() => Reliability.Bins(Confidences(0.5, double.NaN), Correct(true, true)));
        var e = Assert.Throws<ArgumentException>(() => Reliability.Bins(Confidences(0.5, 0.7), Correct(true)));
        Assert.Contains("[2]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Reliability.Bins(Confidences(0.5), Correct(true), 0));
    }
}
