namespace Occam.Evaluation.Diagnostics;

/// <summary>R̂ and effective sample sizes of one scalar summary (see <see cref="ConvergenceDiagnostics"/>).</summary>
/// <param name="Rhat">max(rank-normalised split-R̂, folded rank-normalised split-R̂); about 1 for chains that agree.</param>
/// <param name="BulkEss">Effective sample size of the rank-normalised split chains (the centre of the distribution).</param>
/// <param name="TailEss">The smaller effective sample size of the indicators of the 5% and 95% quantiles.</param>
/// <param name="Mean">Mean over all draws.</param>
/// <param name="Sd">Standard deviation over all draws.</param>
public sealed record ConvergenceSummary(double Rhat, double BulkEss, double TailEss, double Mean, double Sd);

/// <summary>
/// Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021), "Rank-normalization,
/// folding, and localization: an improved R̂": split-R̂ on rank-normalised draws (and on folded draws, for
/// the scale), bulk ESS and tail ESS, with Geyer's initial monotone sequence truncating the autocorrelation
/// sum. Draws are given as M chains of equal length N (double[M][N]); chains are split in halves (a middle
/// draw of an odd length is dropped), so one chain is enough for split-R̂.
/// </summary>
public static class ConvergenceDiagnostics
{
    /// <summary>All diagnostics of one scalar summary.</summary>
    /// <exception cref="ArgumentException">No chains, chains of unequal length, or fewer than 4 draws per chain.</exception>
    public static ConvergenceSummary Summarise(IReadOnlyList<double[]> chains)
    {
        var all = Check(chains).SelectMany(c => c).ToArray();
        double mean = all.Average();
        double sd = Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, all.Length - 1));
        return new ConvergenceSummary(Rhat(chains), BulkEss(chains), TailEss(chains), mean, sd);
    }

    /// <summary>max(rank-normalised split-R̂, rank-normalised split-R̂ of |θ − median|) (Vehtari et al. 2021, §4.1).</summary>
    public static double Rhat(IReadOnlyList<double[]> chains)
    {
        var split = Split(Check(chains));
        double bulk = SplitRhatOfSplit(RankNormalise(split));
        double median = Median(split.SelectMany(c => c));
        double tail = SplitRhatOfSplit(RankNormalise(split.Select(c => c.Select(v => Math.Abs(v - median)).ToArray()).ToArray()));
        return Math.Max(bulk, tail);
    }

    /// <summary>The classic split-R̂ (Gelman et al. 2013) of the raw draws, without rank normalisation.</summary>
    public static double SplitRhat(IReadOnlyList<double[]> chains) => SplitRhatOfSplit(Split(Check(chains)));

    /// <summary>Bulk ESS: the effective sample size of the rank-normalised split chains.</summary>
    public static double BulkEss(IReadOnlyList<double[]> chains) => EssOfSplit(RankNormalise(Split(Check(chains))));

    /// <summary>Tail ESS: min over the 5% and 95% quantiles q of the ESS of I(θ ≤ q) on the split chains.</summary>
    public static double TailEss(IReadOnlyList<double[]> chains)
    {
        var split = Split(Check(chains));
        var sorted = split.SelectMany(c => c).OrderBy(v => v).ToArray();
        double q05 = Quantile(sorted, 0.05), q95 = Quantile(sorted, 0.95);
        double lower = EssOfSplit(split.Select(c => c.Select(v => v <= q05 ? 1.0 : 0.0).ToArray()).ToArray());
        double upper = EssOfSplit(split.Select(c => c.Select(v => v <= q95 ? 1.0 : 0.0).ToArray()).ToArray());
        return Math.Min(lower, upper);
    }

    /// <summary>The ESS of the draws as given (no splitting, no rank normalisation), as in Stan's <c>ess</c> for one quantity.</summary>
    public static double Ess(IReadOnlyList<double[]> chains) => EssOfSplit(Check(chains).ToArray());

    private static double[][] Check(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0) throw new ArgumentException("Need at least one chain.", nameof(chains));
        int n = chains[0]?.Length ?? 0;
        if (chains.Any(c => c is null || c.Length != n)) throw new ArgumentException("All chains must hold the same number of draws.", nameof(chains));
        if (n < 4) throw new ArgumentException($"Need at least 4 draws per chain; got {n}.", nameof(chains));
        return chains.ToArray();
    }

    private static double[][] Split(double[][] chains)
    {
        int half = chains[0].Length / 2, n = chains[0].Length;
        return chains.SelectMany(c => new[] { c[..half], c[(n - half)..] }).ToArray();
    }

    private static double SplitRhatOfSplit(double[][] chains)
    {
        int m = chains.Length, n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        // A chain that never moved has no variance, though its rounded mean can differ from its value.
        var variances = chains.Select((c, i) => c.Min() == c.Max() ? 0.0 : c.Sum(v => (v - means[i]) * (v - means[i])) / (n - 1)).ToArray();
        double w = variances.Average();
        double grand = means.Average();
        double b = n * means.Sum(x => (x - grand) * (x - grand)) / (m - 1);
        if (w == 0) return b == 0 ? 1.0 : double.PositiveInfinity; // constant chains agree only if they share the constant
        double varPlus = (n - 1.0) / n * w + b / n;
        return Math.Sqrt(varPlus / w);
    }

    /// <summary>Multi-chain ESS with Geyer's initial positive and monotone sequences (Stan's estimator; the draws as given).</summary>
    private static double EssOfSplit(double[][] chains)
    {
        int m = chains.Length, n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        double Acov(int lag) // mean over chains of the biased autocovariance at this lag
        {
            double sum = 0;
            for (int c = 0; c < m; c++)
            {
                var x = chains[c];
                double mu = means[c], s = 0;
                for (int t = 0; t + lag < n; t++) s += (x[t] - mu) * (x[t + lag] - mu);
                sum += s / n;
            }
            return sum / m;
        }
        double acov0 = Acov(0);
        double meanVar = acov0 * n / (n - 1.0);
        double varPlus = meanVar * (n - 1.0) / n;
        if (m > 1)
        {
            double grand = means.Average();
            varPlus += means.Sum(x => (x - grand) * (x - grand)) / (m - 1);
        }
        if (!(varPlus > 0)) return double.NaN; // constant draws: no information about the spread
        double Rho(int lag) => 1 - (meanVar - Acov(lag)) / varPlus;

        var rho = new double[n + 1];
        rho[0] = 1;
        double even = 1, odd = Rho(1);
        rho[1] = odd;
        int last = 1;
        while (last < n - 5 && even + odd > 0)
        {
            even = Rho(last + 1);
            odd = Rho(last + 2);
            if (even + odd >= 0)
            {
                rho[last + 1] = even;
                rho[last + 2] = odd;
            }
            last += 2;
        }
        int maxLag = last;
        if (even > 0) rho[maxLag + 1] = even; // improved estimate for antithetic chains
        for (int t = 1; t <= maxLag - 2; t += 2) // initial monotone sequence
        {
            if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t])
            {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
                rho[t + 2] = rho[t + 1];
            }
        }
        double sumRho = 0;
        for (int t = 0; t < maxLag; t++) sumRho += rho[t];
        double tau = -1 + 2 * sumRho + rho[maxLag + 1];
        double total = (double)m * n;
        return Math.Min(total / tau, total * Math.Log10(total));
    }

    /// <summary>z = Φ⁻¹((r − 3/8) / (S + 1/4)) of the pooled ranks r (average ranks for ties).</summary>
    private static double[][] RankNormalise(double[][] chains)
    {
        int m = chains.Length, n = chains[0].Length, total = m * n;
        var order = Enumerable.Range(0, total).OrderBy(i => chains[i / n][i % n]).ToArray();
        var ranks = new double[total];
        for (int i = 0; i < total;)
        {
            int j = i;
            double value = chains[order[i] / n][order[i] % n];
            while (j + 1 < total && chains[order[j + 1] / n][order[j + 1] % n] == value) j++;
            double rank = (i + j) / 2.0 + 1; // 1-based average rank of the tie group
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return Enumerable.Range(0, m).Select(c => Enumerable.Range(0, n).Select(t => NormalQuantile.Of((ranks[c * n + t] - 0.375) / (total + 0.25))).ToArray()).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return Quantile(sorted, 0.5);
    }

    /// <summary>The p-quantile of sorted values by linear interpolation (type 7).</summary>
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
