using System.Numerics;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// Expectation propagation for binary GP classification with the probit likelihood Φ(y f) on a small
/// dense problem (a few hundred points), in plain double arithmetic so that thousands of runs are cheap:
/// sequential site updates with rank-one updates of Σ (Rasmussen &amp; Williams 2006, Alg. 3.5), Σ and μ
/// recomputed from the sites after every sweep, and the EP approximation of log Z = log ∫ N(f|0,K) Πᵢ Φ(yᵢfᵢ) df
/// (R&amp;W eq. 3.65, in the form of <see cref="GaussianProcesses.Classification.EpBinaryClassifier"/>, with no
/// division by a site precision).
/// </summary>
internal static class SmallEp
{
    /// <summary>log Z for the kernel matrix <paramref name="k"/> (n×n, row-major, symmetric PSD) and labels ±1.</summary>
    /// <param name="k">The kernel matrix, row-major n×n.</param>
    /// <param name="y">Labels ±1.</param>
    /// <param name="maxSweeps">Most sweeps.</param>
    /// <param name="tolerance">Stop when no site parameter moves by more than this in a sweep.</param>
    public static double LogEvidence(double[] k, double[] y, int maxSweeps = 200, double tolerance = 1e-6) => LogEvidence(k, y, out _, maxSweeps, tolerance);

    /// <summary>log Z as above, and the number of sweeps run.</summary>
    public static double LogEvidence(double[] k, double[] y, out int sweeps, int maxSweeps = 200, double tolerance = 1e-6)
    {
        int n = y.Length;
        if (k.Length != n * n) throw new ArgumentException($"Expected a {n}×{n} kernel matrix; got {k.Length} entries.", nameof(k));
        var tau = new double[n];
        var nu = new double[n];
        var sigma = (double[])k.Clone();
        var mu = new double[n];
        var column = new double[n];
        var lower = new double[n * n];
        for (sweeps = 1; sweeps <= maxSweeps; sweeps++)
        {
            double change = 0;
            for (int i = 0; i < n; i++)
            {
                double sii = sigma[i * n + i];
                double tauCavity = 1 / sii - tau[i], nuCavity = mu[i] / sii - nu[i];
                if (!(tauCavity > 0)) continue;
                var (tauNew, nuNew) = MatchSite(y[i], tauCavity, nuCavity);
                double deltaTau = tauNew - tau[i], deltaNu = nuNew - nu[i];
                change = Math.Max(change, Math.Max(Math.Abs(deltaTau), Math.Abs(deltaNu)));
                tau[i] = tauNew;
                nu[i] = nuNew;
                // Σ' = Σ − c s sᵀ with s = Σeᵢ, c = Δτ/(1 + ΔτΣᵢᵢ); μ' = Σ'ν̃' = μ + s (Δν (1 − cΣᵢᵢ) − c μᵢ).
                double scale = deltaTau / (1 + deltaTau * sii);
                for (int j = 0; j < n; j++) column[j] = sigma[j * n + i];
                Axpy(deltaNu * (1 - scale * sii) - scale * mu[i], column, mu);
                for (int r = 0; r < n; r++) Axpy(-scale * column[r], column, sigma.AsSpan(r * n, n));
            }
            Refresh(k, tau, nu, sigma, mu, lower);
            if (change < tolerance) break;
        }
        sweeps = Math.Min(sweeps, maxSweeps);
        return Evidence(y, sigma, mu, tau, nu, lower);
    }

    /// <summary>Moment matching of Φ(y f) N(f | ν₋/τ₋, 1/τ₋) (R&amp;W eq. 3.58); τ̃ ≥ 0.</summary>
    private static (double Tau, double Nu) MatchSite(double y, double tauCavity, double nuCavity)
    {
        double variance = 1 / tauCavity, mean = nuCavity / tauCavity;
        double root = Math.Sqrt(1 + variance);
        double z = y * mean / root;
        double ratio = StandardNormal.MillsRatio(z);
        double hatMean = mean + y * variance * ratio / root;
        double hatVariance = variance - variance * variance * ratio * (z + ratio) / (1 + variance);
        return (Math.Max(1 / hatVariance - tauCavity, 0.0), hatMean / hatVariance - nuCavity);
    }

    /// <summary>L = chol(I + S½KS½), Σ = K − K S½ B⁻¹ S½ K, μ = Σν̃, from the sites.</summary>
    private static void Refresh(double[] k, double[] tau, double[] nu, double[] sigma, double[] mu, double[] lower)
    {
        int n = tau.Length;
        var root = tau.Select(Math.Sqrt).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                lower[i * n + j] = (i == j ? 1 : 0) + root[i] * k[i * n + j] * root[j];
        Cholesky(lower, n);
        // V = L⁻¹ S½ K (row-major n×n), Σ = K − VᵀV.
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) v[i * n + j] = root[i] * k[i * n + j];
        for (int i = 0; i < n; i++)
        {
            var row = v.AsSpan(i * n, n);
            for (int p = 0; p < i; p++) Axpy(-lower[i * n + p], v.AsSpan(p * n, n), row);
            double d = lower[i * n + i];
            for (int j = 0; j < n; j++) row[j] /= d;
        }
        Array.Copy(k, sigma, k.Length);
        for (int p = 0; p < n; p++)
        {
            var vp = v.AsSpan(p * n, n);
            for (int i = 0; i < n; i++) Axpy(-vp[i], vp, sigma.AsSpan(i * n, n));
        }
        for (int r = 0; r < n; r++) mu[r] = Dot(sigma.AsSpan(r * n, n), nu);
    }

    private static double Evidence(double[] y, double[] sigma, double[] mu, double[] tau, double[] nu, double[] lower)
    {
        int n = y.Length;
        double logPhi = 0, quadratic = 0.5 * Dot(nu, mu), complexity = 0;
        for (int i = 0; i < n; i++)
        {
            double d = sigma[i * n + i];
            double tauCavity = 1 / d - tau[i], nuCavity = mu[i] / d - nu[i];
            double z = y[i] * (nuCavity / tauCavity) / Math.Sqrt(1 + 1 / tauCavity);
            double sum = tauCavity + tau[i];
            logPhi += StandardNormal.LogCdf(z);
            quadratic += 0.5 * (nuCavity * nuCavity * tau[i] / (tauCavity * sum) - 2 * nuCavity * nu[i] / sum - nu[i] * nu[i] / sum);
            complexity += 0.5 * double.LogP1(tau[i] / tauCavity) - Math.Log(lower[i * n + i]);
        }
        return logPhi + quadratic + complexity;
    }

    /// <summary>In-place lower Cholesky factor of a row-major SPD matrix (the upper triangle is zeroed).</summary>
    private static void Cholesky(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            var rowJ = a.AsSpan(j * n, j);
            double d = a[j * n + j] - Dot(rowJ, rowJ);
            if (!(d > 0)) throw new InvalidOperationException("EP: I + S½KS½ is not positive definite.");
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++) a[i * n + j] = (a[i * n + j] - Dot(a.AsSpan(i * n, j), rowJ)) / d;
            for (int i = j + 1; i < n; i++) a[j * n + i] = 0;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            sum = Vector.Dot(acc, Vector<double>.One);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += α x.</summary>
    private static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var a = new Vector<double>(alpha);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(y[i..]) + a * new Vector<double>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }
}
