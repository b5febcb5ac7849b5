using System.Runtime.Intrinsics;
using Occam.Numerics;

namespace Occam.Tests.Numerics;

/// <summary>The float32 polynomial exp, log and sin/cos against <see cref="Math"/> in double precision.</summary>
public sealed class VectorMathTests
{
    private static double MaxError(IEnumerable<float> inputs, Func<Vector256<float>, Vector256<float>> approximate, Func<double, double> exact, bool relative)
    {
        double worst = 0;
        foreach (var chunk in inputs.Chunk(8).Where(c => c.Length == 8))
        {
            var result = approximate(Vector256.Create(chunk));
            for (int k = 0; k < 8; k++)
            {
                double truth = exact(chunk[k]), error = Math.Abs(result.GetElement(k) - truth);
                worst = Math.Max(worst, relative ? error / Math.Abs(truth) : error);
            }
        }
        return worst;
    }

    private static IEnumerable<float> Grid(double from, double to, int count) => Enumerable.Range(0, count).Select(i => (float)(from + (to - from) * i / (count - 1)));

    [Fact]
    public void Exp_IsWithinFourUlps()
    {
        double error = MaxError(Grid(-87, 88, 80_000).Concat(Grid(-1, 1, 8_000)), VectorMath.Exp, Math.Exp, relative: true);
        Assert.True(error < 4 * 6e-8, $"relative error {error:E2}");
    }

    [Fact]
    public void Log_IsWithinFourUlpsOfTheResultOrOneOfTheArgument()
    {
        var inputs = Grid(-37 * Math.Log(10), 38 * Math.Log(10), 80_000).Select(v => MathF.Exp(v)).Where(float.IsNormal).Concat(Grid(0.5, 2, 8_000));
        foreach (var chunk in inputs.Chunk(8).Where(c => c.Length == 8))
        {
            var result = VectorMath.Log(Vector256.Create(chunk));
            for (int k = 0; k < 8; k++)
            {
                double truth = Math.Log(chunk[k]), error = Math.Abs(result.GetElement(k) - truth);
                Assert.True(error <= Math.Max(4 * 6e-8 * Math.Abs(truth), 1.2e-7), $"log({chunk[k]:R}) = {result.GetElement(k):R}, exact {truth:R}"); // near x = 1 the argument's own rounding dominates
            }
        }
    }

    [Fact]
    public void SinCosTurns_IsWithinThreeTenMillionths()
    {
        var turns = Grid(0, 1 - 1e-7, 80_000).ToArray();
        double sin = MaxError(turns, t => VectorMath.SinCosTurns(t).Sin, t => Math.Sin(2 * Math.PI * t), relative: false);
        double cos = MaxError(turns, t => VectorMath.SinCosTurns(t).Cos, t => Math.Cos(2 * Math.PI * t), relative: false);
        Assert.True(sin < 3e-7 && cos < 3e-7, $"sin error {sin:E2}, cos error {cos:E2}");
    }
}
