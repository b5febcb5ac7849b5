namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// log Φ(z) and the inverse Mills ratio φ(z)/Φ(z) of the standard normal in plain double arithmetic, for the
/// many small expectation-propagation runs of the study. For x = −z/√2 ≤ 3, Φ(z) = ½(1 − erf(x)) with
/// erf(x) = (2/√π) e^{−x²} Σₖ 2ᵏ x^{2k+1}/(1·3·…·(2k+1)), a series of positive terms; for x &gt; 3, the
/// continued fraction erfc(x) = (e^{−x²}/√π) / (x + ½/(x + 1/(x + (3/2)/(x + …)))) evaluated by the modified
/// Lentz method, which keeps full relative precision far into the lower tail. Relative error below 1e−11.
/// </summary>
internal static class StandardNormal
{
    private static readonly double InvSqrtPi = 1 / Math.Sqrt(Math.PI);
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log Φ(z).</summary>
    public static double LogCdf(double z)
    {
        if (z > 0) return double.LogP1(-Cdf(-z));
        double x = -z / Math.Sqrt(2);
        return x <= 3 ? Math.Log(0.5 * (1 - Erf(x))) : Math.Log(0.5 * InvSqrtPi) - x * x + Math.Log(ContinuedFraction(x));
    }

    /// <summary>Φ(z).</summary>
    public static double Cdf(double z)
    {
        if (z > 0) return 1 - Cdf(-z);
        double x = -z / Math.Sqrt(2);
        return x <= 3 ? 0.5 * (1 - Erf(x)) : 0.5 * InvSqrtPi * Math.Exp(-x * x) * ContinuedFraction(x);
    }

    /// <summary>φ(z)/Φ(z); tends to −z as z → −∞.</summary>
    public static double MillsRatio(double z)
    {
        double x = -z / Math.Sqrt(2);
        if (x > 3) return Math.Sqrt(2) / ContinuedFraction(x);
        return Math.Exp(-0.5 * z * z - LogSqrtTwoPi - LogCdf(z));
    }

    /// <summary>erf(x) for 0 ≤ x ≤ 3 by the positive series.</summary>
    private static double Erf(double x)
    {
        double term = x, sum = x, x2 = x * x;
        for (int k = 1; k < 200; k++)
        {
            term *= 2 * x2 / (2 * k + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 2 * InvSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) for x &gt; 3 (modified Lentz).</summary>
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++)
        {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return 1 / f;
    }
}
