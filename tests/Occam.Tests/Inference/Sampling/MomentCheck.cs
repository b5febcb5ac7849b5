using Occam.Evaluation.Diagnostics;

namespace Occam.Tests.Inference.Sampling;

/// <summary>
/// Compares Monte Carlo estimates from K chains with known values in units of their Monte Carlo standard
/// error: the standard deviation of the statistic's influence series over √ESS of that same series
/// (<see cref="ConvergenceDiagnostics.Ess"/>), so autocorrelation, antithetic or not, sets the tolerance.
/// </summary>
internal sealed class MomentCheck(int chains, double z = 4.0)
{
    private readonly List<string> _failures = [];

    /// <summary>Every comparison made, for the test log.</summary>
    public List<string> Details { get; } = [];

    /// <summary>The largest error in standard errors so far.</summary>
    public double Worst { get; private set; }

    /// <summary>What failed, or null.</summary>
    public string? Failure => _failures.Count == 0 ? null : string.Join("; ", _failures);

    /// <summary>E[f] against <paramref name="truth"/>, given f's values (chain-major).</summary>
    public void Mean(string what, double[] values, double truth) => Compare(what, values.Average(), truth, values);

    /// <summary>Var[x] against <paramref name="truth"/>.</summary>
    public void Variance(string what, double[] x, double truth)
    {
        double m = x.Average();
        var squares = x.Select(v => (v - m) * (v - m)).ToArray();
        Compare(what, squares.Sum() / (x.Length - 1), truth, squares);
    }

    /// <summary>corr[x, y] against <paramref name="truth"/>.</summary>
    public void Correlation(string what, double[] x, double[] y, double truth)
    {
        var zx = Standardise(x);
        var zy = Standardise(y);
        int n = x.Length;
        double r = Enumerable.Range(0, n).Sum(t => zx[t] * zy[t]) / (n - 1);
        Compare(what, r, truth, Enumerable.Range(0, n).Select(t => zx[t] * zy[t] - r * (zx[t] * zx[t] + zy[t] * zy[t]) / 2).ToArray());
    }

    /// <summary>The ESS of <paramref name="values"/> (chain-major).</summary>
    public double Ess(double[] values) => ConvergenceDiagnostics.Ess(PerChain(values));

    private void Compare(string what, double estimate, double truth, double[] influence)
    {
        double mean = influence.Average();
        double sd = Math.Sqrt(influence.Sum(v => (v - mean) * (v - mean)) / (influence.Length - 1));
        double ess = Ess(influence);
        double error = Math.Abs(estimate - truth) / (sd / Math.Sqrt(ess));
        Worst = Math.Max(Worst, error);
        Details.Add($"{what} {estimate:G4} vs {truth:G4} ({error:F1} se, ESS {ess:F0})");
        if (error > z) _failures.Add($"{what} {estimate:G4} vs {truth:G4} ({error:F1} standard errors, ESS {ess:F0})");
    }

    private double[][] PerChain(double[] values)
    {
        int d = values.Length / chains;
        return Enumerable.Range(0, chains).Select(k => values[(k * d)..((k + 1) * d)]).ToArray();
    }

    private static double[] Standardise(double[] x)
    {
        double m = x.Average(), sd = Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
        return x.Select(v => (v - m) / sd).ToArray();
    }
}
