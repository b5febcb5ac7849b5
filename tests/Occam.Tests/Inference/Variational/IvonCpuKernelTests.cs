using Occam.Inference.Variational;

namespace Occam.Tests.Inference.Variational;

/// <summary>
/// The fused float32 IVON passes against the published update written out in float64, element by
/// element, on lengths that exercise both the vector body and the tail.
/// </summary>
public sealed class IvonCpuKernelTests
{
    private const double Ess = 500, Delta = 2e-3, Beta1 = 0.9, Beta2 = 0.99, Rate = 0.05;

    private static float[] Random(Random random, int length, double scale, double shift = 0)
        => Enumerable.Range(0, length).Select(_ => (float)(shift + scale * (2 * random.NextDouble() - 1))).ToArray();

    [Theory]
    [InlineData(19, 1, 3, double.PositiveInfinity)]
    [InlineData(64, 2, 7, double.PositiveInfinity)]
    [InlineData(21, 3, 40, 0.01)]
    public void Update_MatchesTheFormulaInDoublePrecision(int length, int count, long step, double clip)
    {
        if (!IvonCpuKernel.IsSupported) return;
        var random = new Random(length);
        var mean = Random(random, length, 1.0);
        var gradSum = Random(random, length, 0.5 * count);
        var noiseGradSum = Random(random, length, 1e-3 * count);
        var momentum = Random(random, length, 0.2);
        var hessian = Random(random, length, 0.5, shift: 1.0);
        var sd = new float[length];
        double debias = 1 - Math.Pow(Beta1, step);
        var c = new IvonCpuKernel.UpdateCoefficients((float)(1.0 / count), (float)(1 - Beta1), (float)Ess, (float)Delta, (float)(1 - Beta2),
            (float)(0.5 * (1 - Beta2) * (1 - Beta2)), (float)Rate, (float)(Delta * debias), (float)(1 / debias), (float)clip, double.IsFinite(clip));
        var (m0, g0, h0) = ((float[])mean.Clone(), (float[])momentum.Clone(), (float[])hessian.Clone());

        IvonCpuKernel.Update(mean, gradSum, noiseGradSum, momentum, hessian, sd, c);

        for (int i = 0; i < length; i++)
        {
            double gHat = gradSum[i] / (double)count;
            double g = Beta1 * g0[i] + (1 - Beta1) * gHat;
            double hHat = noiseGradSum[i] / count * Ess * (h0[i] + Delta);  // ĝ(θ − m)/σ² with σ² = 1/(λ(h + δ))
            double h = Beta2 * h0[i] + (1 - Beta2) * hHat + 0.5 * Math.Pow(1 - Beta2, 2) * Math.Pow(h0[i] - hHat, 2) / (h0[i] + Delta);
            double direction = (g / debias + Delta * m0[i]) / (h + Delta);
            if (double.IsFinite(clip)) direction = Math.Clamp(direction, -clip, clip);
            double m = m0[i] - Rate * direction;
            double s = 1 / Math.Sqrt(Ess * (h + Delta));
            AssertClose(g, momentum[i], $"momentum[{i}]");
            AssertClose(h, hessian[i], $"hessian[{i}]");
            AssertClose(m, mean[i], $"mean[{i}]");
            AssertClose(s, sd[i], $"sd[{i}]");
        }
    }

    [Fact]
    public void SampleAndRecord_WriteThetaAndTheGradientSums()
    {
        if (!IvonCpuKernel.IsSupported) return;
        var random = new Random(5);
        const int length = 13;
        var parameter = Random(random, length, 1.0);
        var m0 = (float[])parameter.Clone();
        var sd = Random(random, length, 0.1, shift: 0.2);
        var standard = Random(random, length, 2.0);
        var noise = (float[])standard.Clone();
        var mean = new float[length];
        IvonCpuKernel.Sample(parameter, mean, sd, noise);
        var g1 = Random(random, length, 1.0);
        var g2 = Random(random, length, 1.0);
        var (gradSum, noiseGradSum) = (Enumerable.Repeat(float.NaN, length).ToArray(), Enumerable.Repeat(float.PositiveInfinity, length).ToArray()); // left over from an earlier step
        IvonCpuKernel.Record(g1, noise, gradSum, noiseGradSum, first: true);
        IvonCpuKernel.Record(g2, noise, gradSum, noiseGradSum, first: false);
        for (int i = 0; i < length; i++)
        {
            double e = (double)sd[i] * standard[i];
            Assert.Equal(m0[i], mean[i]);
            AssertClose(e, noise[i], $"noise[{i}]");
            AssertClose(m0[i] + e, parameter[i], $"theta[{i}]");
            AssertClose((double)g1[i] + g2[i], gradSum[i], $"gradSum[{i}]");
            AssertClose(((double)g1[i] + g2[i]) * e, noiseGradSum[i], $"noiseGradSum[{i}]");
        }
    }

    [Fact]
    public void Update_WithSpansOfDifferentLengths_Throws()
    {
        var c = new IvonCpuKernel.UpdateCoefficients(1, 0.1f, 10, 0.1f, 0.01f, 0.00005f, 0.1f, 0.1f, 1, 1, false);
        Assert.Throws<ArgumentException>(() => IvonCpuKernel.Update(new float[4], new float[4], new float[3], new float[4], new float[4], new float[4], c));
    }

    private static void AssertClose(double expected, float actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
}
