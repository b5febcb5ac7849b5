namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// The Lempel–Ziv complexity of a bit string used by Valle-Pérez et al. (2019) and Mingard et al. (2021):
/// N_w(x) is the number of words of the LZ76 parsing (Kaspar &amp; Schuster 1987), and
/// K_LZ(x) = log₂(n) · (N_w(x₁…xₙ) + N_w(xₙ…x₁)) / 2, or log₂(n) for a constant string.
/// </summary>
public static class LempelZiv
{
    /// <summary>K_LZ of <paramref name="bits"/>.</summary>
    public static double Complexity(IReadOnlyList<bool> bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        int n = bits.Count;
        if (n < 2) return 1;
        double log = Math.Log2(n);
        if (bits.All(b => b) || bits.All(b => !b)) return log;
        var forward = bits.ToArray();
        var backward = forward.Reverse().ToArray();
        return log * (Words(forward) + Words(backward)) / 2.0;
    }

    /// <summary>The number of words in the LZ76 parsing (the Kaspar–Schuster algorithm).</summary>
    public static int Words(bool[] s)
    {
        ArgumentNullException.ThrowIfNull(s);
        int n = s.Length;
        if (n == 0) return 0;
        int i = 0, c = 1, u = 1, v = 1, vMax = 1;
        while (u + v <= n)
        {
            if (s[i + v - 1] == s[u + v - 1]) v++;
            else
            {
                vMax = Math.Max(v, vMax);
                i++;
                if (i == u)
                {
                    c++;
                    u += vMax;
                    v = 1;
                    i = 0;
                    vMax = v;
                }
                else v = 1;
            }
        }
        if (v != 1) c++;
        return c;
    }
}
