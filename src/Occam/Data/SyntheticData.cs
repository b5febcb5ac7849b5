using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>Built-in synthetic datasets, generated in code from a seed (no files needed).</summary>
public static class SyntheticData
{
    /// <summary>Left edge of the gap between the two input clusters of <see cref="GapRegression"/>.</summary>
    public const double GapLeft = -1.0;

    /// <summary>Right edge of the gap between the two input clusters of <see cref="GapRegression"/>.</summary>
    public const double GapRight = 1.0;

    /// <summary>Noise standard deviation of <see cref="GapRegression"/>.</summary>
    public const double GapNoise = 0.1;

    /// <summary>
    /// The in-between uncertainty test: 1-D inputs in two clusters, U(−2, −1) and U(1, 2), with
    /// nothing in the gap (−1, 1); y = sin(3x) + 0.3x + ε, ε ~ N(0, 0.1²). A well-calibrated
    /// Bayesian predictive is wider in the gap than at the data; MAP is not.
    /// </summary>
    public static Dataset GapRegression(int count = 160, long seed = 0)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), "Need at least 2 points.");
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        int left = count / 2;
        var u = rand(new long[] { count, 1 }, generator: g, dtype: ScalarType.Float64);
        var x = cat(new[] { u[..left] - 2.0, u[left..] + 1.0 }, 0);
        var y = GapFunction(x) + GapNoise * randn(new long[] { count, 1 }, generator: g, dtype: ScalarType.Float64);
        return new Dataset(x.to_type(ScalarType.Float32), y.to_type(ScalarType.Float32), TaskKind.Regression,
            name: "gap-1d", featureNames: ["x"], targetName: "y");
    }

    /// <summary>The noise-free function of <see cref="GapRegression"/>: sin(3x) + 0.3x.</summary>
    public static Tensor GapFunction(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return (3 * x).sin() + 0.3 * x;
    }

    /// <summary>
    /// Two interleaving half circles ("two moons") in 2-D with Gaussian noise of the given sd:
    /// class 0 on (cos t, sin t), class 1 on (1 − cos t, 0.5 − sin t), t ~ U(0, π).
    /// </summary>
    public static Dataset TwoMoons(int count = 400, double noise = 0.15, long seed = 0)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), "Need at least 2 points.");
        if (noise < 0) throw new ArgumentOutOfRangeException(nameof(noise), "Noise sd must be non-negative.");
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        int half = count / 2;
        var labels = cat(new[] { zeros(half, ScalarType.Int64), ones(count - half, ScalarType.Int64) });
        var t = rand(new long[] { count }, generator: g, dtype: ScalarType.Float64) * Math.PI;
        var isOne = labels.to_type(ScalarType.Float64);
        var px = t.cos() * (1 - 2 * isOne) + isOne;
        var py = t.sin() * (1 - 2 * isOne) + 0.5 * isOne;
        var x = stack(new[] { px, py }, 1) + noise * randn(new long[] { count, 2 }, generator: g, dtype: ScalarType.Float64);
        return new Dataset(x.to_type(ScalarType.Float32), labels, TaskKind.Classification, 2,
            name: "two-moons", featureNames: ["x1", "x2"], targetName: "class");
    }
}
