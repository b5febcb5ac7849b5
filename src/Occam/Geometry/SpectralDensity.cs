using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// A spectral density estimate of a symmetric operator of dimension P from stochastic Lanczos quadrature:
/// for each probe l, Gauss quadrature nodes θₗⱼ (Ritz values) and weights τₗⱼ (squared first components of
/// the tridiagonal's eigenvectors, summing to 1) with vₗᵀ f(A) vₗ / ‖vₗ‖² ≈ Σⱼ τₗⱼ f(θₗⱼ), exactly for
/// polynomials of degree below 2m. The spectral measure (1/P) Σᵢ δ(t − λᵢ) is estimated by the average of the
/// probes' discrete measures, so tr f(A) ≈ P · <see cref="Expectation"/>(f).
/// </summary>
/// <param name="Size">P, the operator's dimension.</param>
/// <param name="Nodes">Per probe, the quadrature nodes (ascending).</param>
/// <param name="Weights">Per probe, the quadrature weights (non-negative, summing to 1).</param>
public sealed record SpectralDensity(long Size, double[][] Nodes, double[][] Weights)
{
    /// <summary>Number of probes.</summary>
    public int Probes => Nodes.Length;

    /// <summary>The estimate of (1/P) tr f(A) = (1/P) Σᵢ f(λᵢ): the probes' average of Σⱼ τⱼ f(θⱼ).</summary>
    public double Expectation(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double total = 0;
        for (int l = 0; l < Nodes.Length; l++)
            for (int j = 0; j < Nodes[l].Length; j++)
                total += Weights[l][j] * f(Nodes[l][j]);
        return total / Nodes.Length;
    }

    /// <summary>The estimate of tr f(A).</summary>
    public double Trace(Func<double, double> f) => Size * Expectation(f);

    /// <summary>Smallest and largest node over all probes (Ritz values lie inside A's spectrum).</summary>
    public (double Min, double Max) Bounds() => (Nodes.Min(n => n.Min()), Nodes.Max(n => n.Max()));

    /// <summary>
    /// The density smoothed by a Gaussian of standard deviation <paramref name="width"/> at each of
    /// <paramref name="grid"/>'s points: φ(t) = avgₗ Σⱼ τₗⱼ N(t; θₗⱼ, width²). It integrates to 1.
    /// </summary>
    /// <exception cref="ArgumentException">A width that is not positive and finite, or an empty grid.</exception>
    public double[] Smoothed(double[] grid, double width)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Length == 0) throw new ArgumentException("The grid is empty.", nameof(grid));
        if (!(width > 0) || !double.IsFinite(width)) throw new ArgumentException($"The kernel width must be positive and finite; got {width}.", nameof(width));
        using var scope = NewDisposeScope();
        var t = tensor(grid, ScalarType.Float64).unsqueeze(1);                   // [G, 1]
        var nodes = tensor(Nodes.SelectMany(n => n).ToArray(), ScalarType.Float64); // [L·m]
        var weights = tensor(Weights.SelectMany(w => w).ToArray(), ScalarType.Float64) / Nodes.Length;
        var z = (t - nodes.unsqueeze(0)) / width;
        var density = ((-0.5 * z.square()).exp() * weights.unsqueeze(0)).sum(1) / (width * Math.Sqrt(2 * Math.PI));
        return density.data<double>().ToArray();
    }
}
