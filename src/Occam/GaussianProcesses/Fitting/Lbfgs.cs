namespace Occam.GaussianProcesses.Fitting;

/// <summary>
/// Minimises a smooth function of a small real vector by limited-memory BFGS (Nocedal &amp; Wright 2006,
/// Alg. 7.4 and 7.5) with a backtracking line search on the Armijo condition. The function may return
/// +∞ (or NaN) for a point it cannot evaluate; the line search then steps back.
/// </summary>
internal static class Lbfgs
{
    private const int History = 10;
    private const double Armijo = 1e-4;
    private const int MaxHalvings = 40;

    /// <summary>Returns the best point found and its value; <paramref name="evaluate"/> maps x to (f, ∇f).</summary>
    public static (double[] X, double F, int Evaluations) Minimise(Func<double[], (double F, double[] G)> evaluate, double[] start,
        int iterations, double gradientTolerance)
    {
        var x = (double[])start.Clone();
        var (f, g) = evaluate(x);
        int evaluations = 1;
        if (!double.IsFinite(f)) return (x, double.NaN, evaluations);
        var s = new List<double[]>();
        var y = new List<double[]>();
        for (int it = 0; it < iterations && MaxAbs(g) > gradientTolerance; it++)
        {
            var d = Direction(g, s, y);
            double slope = Dot(g, d);
            if (!(slope < 0))
            {
                s.Clear();
                y.Clear();
                d = g.Select(v => -v).ToArray();
                slope = Dot(g, d);
            }
            double step = s.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(Norm(g), 1e-300)) : 1.0;
            double[]? xNew = null;
            double fNew = double.NaN;
            double[]? gNew = null;
            for (int h = 0; h < MaxHalvings; h++, step *= 0.5)
            {
                var candidate = x.Zip(d, (a, b) => a + step * b).ToArray();
                var (fc, gc) = evaluate(candidate);
                evaluations++;
                if (double.IsFinite(fc) && fc <= f + Armijo * step * slope && gc.All(double.IsFinite))
                {
                    (xNew, fNew, gNew) = (candidate, fc, gc);
                    break;
                }
            }
            if (xNew is null) break; // no decrease along d: as good as it gets
            var sk = xNew.Zip(x, (a, b) => a - b).ToArray();
            var yk = gNew!.Zip(g, (a, b) => a - b).ToArray();
            if (Dot(sk, yk) > 1e-12 * Norm(sk) * Norm(yk))
            {
                s.Add(sk);
                y.Add(yk);
                if (s.Count > History) { s.RemoveAt(0); y.RemoveAt(0); }
            }
            bool stalled = Math.Abs(f - fNew) <= 1e-12 * Math.Max(1.0, Math.Abs(f));
            (x, f, g) = (xNew, fNew, gNew!);
            if (stalled) break;
        }
        return (x, f, evaluations);
    }

    /// <summary>−H g by the two-loop recursion, with H₀ = (sᵀy / yᵀy) I.</summary>
    private static double[] Direction(double[] g, List<double[]> s, List<double[]> y)
    {
        var q = (double[])g.Clone();
        int m = s.Count;
        var alpha = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            double rho = 1.0 / Dot(y[i], s[i]);
            alpha[i] = rho * Dot(s[i], q);
            for (int j = 0; j < q.Length; j++) q[j] -= alpha[i] * y[i][j];
        }
        double gamma = m > 0 ? Dot(s[m - 1], y[m - 1]) / Dot(y[m - 1], y[m - 1]) : 1.0;
        for (int j = 0; j < q.Length; j++) q[j] *= gamma;
        for (int i = 0; i < m; i++)
        {
            double rho = 1.0 / Dot(y[i], s[i]);
            double beta = rho * Dot(y[i], q);
            for (int j = 0; j < q.Length; j++) q[j] += s[i][j] * (alpha[i] - beta);
        }
        for (int j = 0; j < q.Length; j++) q[j] = -q[j];
        return q;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static double MaxAbs(double[] a) => a.Length == 0 ? 0 : a.Max(Math.Abs);
}
