using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// The Lanczos process with full re-orthogonalisation (every new vector is orthogonalised against the
/// whole basis, twice), float64 throughout. It reduces a symmetric operator A to a tridiagonal T = Vᵀ A V
/// on the Krylov space of a start vector; T's eigenvalues (Ritz values) approximate A's extreme
/// eigenvalues, and T's eigenvectors give A's approximate eigenvectors (V·s) and the nodes and weights of
/// the Gauss quadrature behind stochastic Lanczos quadrature. Without re-orthogonalisation, rounding
/// makes the basis lose orthogonality once a Ritz value converges and spurious copies ("ghosts") of
/// converged eigenvalues appear.
/// </summary>
public static class Lanczos
{
    /// <summary>
    /// The top <paramref name="count"/> eigenpairs of <paramref name="op"/> from
    /// <paramref name="steps"/> Lanczos steps (default min(P, 2k + 20)) started at a Gaussian vector from
    /// <paramref name="generator"/> (null: libtorch's global generator). When the Krylov space is invariant
    /// before the last step, the process continues from a fresh random direction orthogonal to the basis,
    /// so with steps = P the result is the exact spectrum (to rounding).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="count"/> outside 1..P, or steps outside count..P.</exception>
    public static Eigenpairs TopEigenpairs(CurvatureOperator op, int count, int? steps = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (count < 1 || count > op.Size)
            throw new ArgumentException($"The number of eigenpairs k must lie in 1..P = {op.Size}; got {count}.", nameof(count));
        int m = steps ?? (int)Math.Min(op.Size, 2L * count + 20);
        if (m < count || m > op.Size)
            throw new ArgumentException($"Lanczos steps must lie in k = {count}..P = {op.Size}; got {m}.", nameof(steps));
        using var scope = NewDisposeScope();
        using var start = randn(new long[] { op.Size }, ScalarType.Float64, generator: generator);
        var run = Run(op, m, start, restart: true, generator);
        var (values, vectors) = linalg.eigh(run.Tridiagonal()); // ascending
        var top = values.narrow(0, m - count, count).flip(0).contiguous();
        var coefficients = vectors.narrow(1, m - count, count).flip(1); // [m, k]
        var ritz = run.Basis.T.matmul(coefficients).contiguous();
        return new Eigenpairs(top, ritz, m);
    }

    /// <summary>
    /// Runs up to <paramref name="steps"/> steps from <paramref name="start"/> [P] (normalised here). With
    /// <paramref name="restart"/> false the run stops early when the Krylov space becomes invariant (the
    /// quadrature is then exact with fewer nodes); with true it continues from a fresh random direction
    /// (β = 0), which eigensolvers want.
    /// </summary>
    internal static LanczosRun Run(CurvatureOperator op, int steps, Tensor start, bool restart, Generator? generator)
    {
        long size = op.Size;
        var basis = zeros(steps, size, dtype: ScalarType.Float64); // rows: Lanczos vectors
        var alpha = new List<double>(steps);
        var beta = new List<double>(steps);
        double norm = start.norm().item<double>();
        if (!(norm > 0) || !double.IsFinite(norm)) throw new ArgumentException("The start vector must be finite and non-zero.", nameof(start));
        basis[0].copy_(start.to_type(ScalarType.Float64) / norm);
        double scale = 0;
        for (int j = 0; j < steps; j++)
        {
            using var step = NewDisposeScope();
            var v = basis[j];
            var w = op.Multiply(v);
            double a = w.dot(v).item<double>();
            alpha.Add(a);
            w.sub_(v * a);
            if (j > 0) w.sub_(basis[j - 1] * beta[j - 1]);
            Orthogonalise(w, basis.narrow(0, 0, j + 1));
            scale = Math.Max(scale, Math.Abs(a) + (j > 0 ? beta[j - 1] : 0));
            if (j == steps - 1) break;
            double b = w.norm().item<double>();
            if (b > 1e-10 * Math.Max(scale, double.Epsilon))
            {
                beta.Add(b);
                basis[j + 1].copy_(w / b);
            }
            else if (restart)
            {
                beta.Add(0);
                basis[j + 1].copy_(RandomDirection(basis.narrow(0, 0, j + 1), size, generator));
            }
            else break; // invariant subspace: T is exact
        }
        int m = alpha.Count;
        var kept = m == steps ? basis : basis.narrow(0, 0, m).clone();
        if (!ReferenceEquals(kept, basis)) basis.Dispose();
        return new LanczosRun(alpha.ToArray(), beta.Take(m - 1).ToArray(), kept);
    }

    /// <summary>w minus its projection on the rows of <paramref name="basis"/>, in place, twice ("twice is enough").</summary>
    private static void Orthogonalise(Tensor w, Tensor basis)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            using var projection = basis.T.matmul(basis.matmul(w));
            w.sub_(projection);
        }
    }

    private static Tensor RandomDirection(Tensor basis, long size, Generator? generator)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var v = randn(new long[] { size }, ScalarType.Float64, generator: generator);
            Orthogonalise(v, basis);
            double norm = v.norm().item<double>();
            if (norm > 1e-8) return v / norm;
        }
        throw new InvalidOperationException("Lanczos could not find a new direction orthogonal to its basis.");
    }
}

/// <summary>One Lanczos run: the tridiagonal's diagonal α [m] and off-diagonal β [m − 1], and the basis V [m, P] (float64, owned).</summary>
internal sealed class LanczosRun(double[] alpha, double[] beta, Tensor basis) : IDisposable
{
    public double[] Alpha { get; } = alpha;
    public double[] Beta { get; } = beta;
    public Tensor Basis { get; } = basis;

    /// <summary>T [m, m] (float64, fresh).</summary>
    public Tensor Tridiagonal()
    {
        using var scope = NewDisposeScope();
        var t = diag(tensor(Alpha, ScalarType.Float64));
        if (Beta.Length > 0)
        {
            var off = tensor(Beta, ScalarType.Float64);
            t = t + diag(off, 1) + diag(off, -1);
        }
        return t.MoveToOuterDisposeScope();
    }

    public void Dispose() => Basis.Dispose();
}
