using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>
/// A fully connected network with one scalar input and one scalar output under its prior: every layer
/// (the read-out too) computes h′ = φ(h·W + b) with W entries N(0, σ_w²/fan_in) and b entries N(0, σ_b²),
/// the parameterisation of <see cref="GaussianProcesses.Kernels.NngpKernel"/> (the read-out is linear). As
/// the widths grow, the functions tend to the NNGP with the same σ_w² and σ_b².
/// </summary>
/// <param name="Hidden">Hidden widths (at least one, each positive).</param>
/// <param name="Activation">The hidden non-linearity (ReLU or tanh; GELU and softplus are accepted too).</param>
/// <param name="WeightSd">σ_w: weights are N(0, σ_w²/fan_in).</param>
/// <param name="BiasSd">σ_b ≥ 0: biases are N(0, σ_b²).</param>
public sealed record PriorNetwork(int[] Hidden, Activation Activation = Activation.ReLU, double WeightSd = 1.0, double BiasSd = 1.0)
{
    /// <summary>Checks the spec; returns it.</summary>
    /// <exception cref="ArgumentException">No hidden layer, a width below 1, σ_w not positive or σ_b negative (or either not finite).</exception>
    public PriorNetwork Validate()
    {
        if (Hidden is null || Hidden.Length == 0 || Hidden.Any(w => w < 1))
            throw new ArgumentException("The network needs at least one hidden layer, each of positive width.", nameof(Hidden));
        if (!(WeightSd > 0) || !double.IsFinite(WeightSd)) throw new ArgumentException($"The weight prior sd must be positive and finite; got {WeightSd}.", nameof(WeightSd));
        if (!(BiasSd >= 0) || !double.IsFinite(BiasSd)) throw new ArgumentException($"The bias prior sd must be non-negative and finite; got {BiasSd}.", nameof(BiasSd));
        return this;
    }
}

/// <summary>
/// S functions drawn from a network's prior, evaluated on a grid, and their summaries. All arrays are plain
/// float64 .NET arrays (no tensors to dispose).
/// </summary>
/// <param name="X">The grid [G].</param>
/// <param name="Draws">f_s(x_g) [S, G].</param>
/// <param name="Mean">Pointwise sample mean [G].</param>
/// <param name="Lower">Pointwise 2.5% quantile [G].</param>
/// <param name="Upper">Pointwise 97.5% quantile [G].</param>
/// <param name="Covariance">Sample covariance of function values between grid points [G, G] (divisor S − 1).</param>
public sealed record PriorPredictiveDraws(double[] X, double[,] Draws, double[] Mean, double[] Lower, double[] Upper, double[,] Covariance)
{
    /// <summary>Number of draws S.</summary>
    public int Samples => Draws.GetLength(0);

    /// <summary>Pointwise sample standard deviation [G].</summary>
    public double[] StandardDeviation => [.. Enumerable.Range(0, X.Length).Select(i => Math.Sqrt(Covariance[i, i]))];

    /// <summary>The prior correlation of f(x_i) and f(x_j) (NaN where either has zero variance).</summary>
    public double Correlation(int i, int j)
    {
        double d = Math.Sqrt(Covariance[i, i] * Covariance[j, j]);
        return d > 0 ? Covariance[i, j] / d : double.NaN;
    }

    /// <summary>The correlation matrix [G, G].</summary>
    public double[,] CorrelationMatrix()
    {
        int g = X.Length;
        var r = new double[g, g];
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++) r[i, j] = Correlation(i, j);
        return r;
    }
}

/// <summary>
/// Prior predictive checks: what functions does a network's weight prior put mass on, before any data?
/// Draws S networks from <see cref="PriorNetwork"/>'s prior and evaluates them on a 1-D grid, in float64 on
/// the CPU, in chunks of draws so memory stays bounded (about 64 MiB of activations per chunk).
/// </summary>
public static class PriorPredictive
{
    /// <summary>Draws <paramref name="samples"/> functions on <paramref name="grid"/> (seeded: the same seed gives the same draws).</summary>
    /// <exception cref="ArgumentException">An invalid spec, fewer than 2 samples, or an empty or non-finite grid.</exception>
    public static PriorPredictiveDraws Sample(PriorNetwork network, double[] grid, int samples, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(grid);
        network.Validate();
        if (samples < 2) throw new ArgumentException($"Need at least 2 prior draws; got {samples}.", nameof(samples));
        if (grid.Length == 0 || grid.Any(v => !double.IsFinite(v))) throw new ArgumentException("The grid must hold at least one finite input.", nameof(grid));

        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var x = tensor(grid, ScalarType.Float64).view(1, -1, 1);
        long widest = network.Hidden.Max();
        int chunk = (int)Math.Clamp(8L * 1024 * 1024 / (widest * grid.Length), 1, samples);
        var parts = new List<Tensor>();
        for (int start = 0; start < samples; start += chunk)
        {
            int count = Math.Min(chunk, samples - start);
            using var inner = NewDisposeScope();
            parts.Add(Forward(network, x.expand(count, -1, -1), generator).MoveToOuterDisposeScope());
        }
        var f = cat(parts, 0);                                               // [S, G]
        var mean = f.mean(new long[] { 0 });
        var centred = f - mean;
        var covariance = centred.T.mm(centred) / (samples - 1);
        var q = f.quantile(tensor(new[] { 0.025, 0.975 }, ScalarType.Float64), dim: 0);
        return new PriorPredictiveDraws([.. grid], ToMatrix(f), mean.data<double>().ToArray(), q[0].data<double>().ToArray(), q[1].data<double>().ToArray(), ToMatrix(covariance));
    }

    /// <summary>An evenly spaced grid of <paramref name="points"/> inputs from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static double[] Grid(double from, double to, int points)
    {
        if (points < 2 || !(to > from) || !double.IsFinite(from) || !double.IsFinite(to))
            throw new ArgumentException($"A grid needs at least 2 points and a finite range from < to; got {points} points on [{from}, {to}].", nameof(points));
        return [.. Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1))];
    }

    /// <summary>One chunk of draws: inputs [K, G, 1] → outputs [K, G] (the read-out is linear).</summary>
    private static Tensor Forward(PriorNetwork network, Tensor x, Generator generator)
    {
        long k = x.shape[0];
        var h = x;
        long fanIn = 1;
        int[] widths = [.. network.Hidden, 1];
        for (int l = 0; l < widths.Length; l++)
        {
            var w = randn(new long[] { k, fanIn, widths[l] }, ScalarType.Float64, generator: generator) * (network.WeightSd / Math.Sqrt(fanIn));
            var b = randn(new long[] { k, 1, widths[l] }, ScalarType.Float64, generator: generator) * network.BiasSd;
            var pre = h.bmm(w) + b;
            h = l == widths.Length - 1 ? pre : Apply(network.Activation, pre);
            fanIn = widths[l];
        }
        return h.squeeze(2);
    }

    private static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.ReLU => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Gelu => nn.functional.gelu(x),
        Activation.Softplus => nn.functional.softplus(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    private static double[,] ToMatrix(Tensor t)
    {
        var values = t.contiguous().data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var m = new double[rows, cols];
        Buffer.BlockCopy(values, 0, m, 0, values.Length * sizeof(double));
        return m;
    }
}
