using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// Stochastic Lanczos quadrature (Golub &amp; Meurant 2009; Ubaru, Chen &amp; Saad 2017; Ghorbani, Krishnan
/// &amp; Xiao 2019, for network Hessians): per Rademacher probe, m Lanczos steps with full
/// re-orthogonalisation give a tridiagonal T whose eigenvalues are quadrature nodes and whose squared first
/// eigenvector components are the weights of the probe's spectral measure. The average over probes estimates
/// the spectral density; its error is the Monte Carlo error of the probes (the quadrature is exact for
/// polynomials of degree below 2m).
/// </summary>
public static class StochasticLanczosQuadrature
{
    /// <summary>
    /// Estimates the spectral density of <paramref name="op"/> from <paramref name="probes"/> probes of
    /// <paramref name="steps"/> Lanczos steps each (at most P; fewer when the Krylov space closes early).
    /// Costs probes × steps operator products.
    /// </summary>
    /// <exception cref="ArgumentException">Probes below 1, or steps outside 1..P.</exception>
    public static SpectralDensity Estimate(CurvatureOperator op, int probes = 10, int steps = 80, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (probes < 1) throw new ArgumentException($"Probes must be at least 1; got {probes}.", nameof(probes));
        if (steps < 1 || steps > op.Size) throw new ArgumentException($"Lanczos steps must lie in 1..P = {op.Size}; got {steps}.", nameof(steps));
        var nodes = new double[probes][];
        var weights = new double[probes][];
        for (int l = 0; l < probes; l++)
        {
            using var scope = NewDisposeScope();
            var start = Probes.Rademacher(op.Size, generator);
            using var run = Lanczos.Run(op, steps, start, restart: false, generator);
            var (values, vectors) = linalg.eigh(run.Tridiagonal());
            nodes[l] = values.data<double>().ToArray();
            weights[l] = vectors[0].square().data<double>().ToArray();
        }
        return new SpectralDensity(op.Size, nodes, weights);
    }
}
