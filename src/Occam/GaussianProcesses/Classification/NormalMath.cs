using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>
/// The standard normal cdf Φ in forms that stay accurate in the lower tail. Above z = −20 they use
/// Φ(z) = ½ erfc(−z/√2), which libtorch's erfc gives to full relative precision; below it the asymptotic
/// series Φ(z) = φ(z)/(−z) · (1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + 105z⁻⁸ − 945z⁻¹⁰ + …), whose truncation error
/// there is below 10⁻¹². Two libtorch functions are avoided on purpose: special.ndtr in this build loses
/// all relative precision below z ≈ −5 (it returns 0 from z ≈ −9), and TorchSharp 0.107's special.erfcx
/// computes erfc.
/// </summary>
internal static class NormalMath
{
    private const double Switch = -20;
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);

    /// <summary>log Φ(z), elementwise (float64, in the caller's scope).</summary>
    public static Tensor LogCdf(Tensor z)
    {
        var zs = z.clamp_min(Switch);
        var direct = where(zs > 0, (-Cdf(-zs)).log1p(), Cdf(zs).log());
        var za = z.clamp_max(Switch);
        var asymptotic = -0.5 * za.square() - (-za).log() - LogSqrtTwoPi + Series(za).log();
        return where(z < Switch, asymptotic, direct);
    }

    /// <summary>Φ(z), elementwise.</summary>
    public static Tensor Cdf(Tensor z) => 0.5 * special.erfc(-z * InvSqrt2);

    /// <summary>The inverse Mills ratio φ(z)/Φ(z), elementwise; tends to −z as z → −∞ and to 0 as z → ∞.</summary>
    public static Tensor MillsRatio(Tensor z)
    {
        var zs = z.clamp_min(Switch);
        var direct = (-0.5 * zs.square() - LogSqrtTwoPi).exp() / Cdf(zs);
        var za = z.clamp_max(Switch);
        return where(z < Switch, -za / Series(za), direct);
    }

    /// <summary>φ(z)/Φ(z) for one number.</summary>
    public static double MillsRatio(double z)
    {
        using var scope = NewDisposeScope();
        return MillsRatio(tensor(z, dtype: ScalarType.Float64)).item<double>();
    }

    /// <summary>log Φ(z) for one number.</summary>
    public static double LogCdf(double z)
    {
        using var scope = NewDisposeScope();
        return LogCdf(tensor(z, dtype: ScalarType.Float64)).item<double>();
    }

    /// <summary>1 − w + 3w² − 15w³ + 105w⁴ − 945w⁵ with w = z⁻².</summary>
    private static Tensor Series(Tensor z)
    {
        var w = 1 / z.square();
        return 1 + w * (-1 + w * (3 + w * (-15 + w * (105 - 945 * w))));
    }
}
