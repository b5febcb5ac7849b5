using MathNet.Numerics.Distributions;
using Occam.GaussianProcesses.Classification;

namespace Occam.Tests.GaussianProcesses;

public sealed class NormalMathTests
{
    [Theory]
    [InlineData(-35.0)]
    [InlineData(-20.5)]
    [InlineData(-19.5)]
    [InlineData(-8.0)]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(9.0)]
    public void LogCdfAndMillsRatioMatchMathNetIntoTheFarTail(double z)
    {
        // MathNet's Φ is ½ erfc(−z/√2) from its own erfc; for large z, log Φ(z) = log(1 − Φ(−z)) ≈ −Φ(−z).
        double logCdf = z > 5 ? -Normal.CDF(0, 1, -z) : z > 0 ? Math.Log(1 - Normal.CDF(0, 1, -z)) : Math.Log(Normal.CDF(0, 1, z));
        double ratio = Math.Exp(Normal.PDFLn(0, 1, z) - logCdf);
        if (z == 0) Assert.Equal(Math.Log(0.5), NormalMath.LogCdf(z), 15);
        else Assert.Equal(1.0, NormalMath.LogCdf(z) / logCdf, 12);
        Assert.Equal(1.0, NormalMath.MillsRatio(z) / ratio, 11);
    }
}
