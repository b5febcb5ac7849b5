using Occam.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>The curvature summary on a matrix with a known spectrum.</summary>
public sealed class GeometryAnalysisTests
{
    [Fact]
    public void Summary_AgreesWithTheExactSpectrum_AndIsReproducible()
    {
        using var scope = NewDisposeScope();
        var spectrum = TestMatrices.OutliersAndBulk(120, 6, 13).Select((v, i) => i == 119 ? -0.5 : v).ToArray();
        var op = CurvatureOperator.FromMatrix(TestMatrices.WithSpectrum(spectrum, 13), "Hessian");
        var options = new GeometryOptions { TopK = 6, DensityProbes = 20, DensitySteps = 40, TraceSamples = 200, Seed = 4 };
        var summary = GeometryAnalysis.Summarise(op, 2.0, options);
        var sorted = spectrum.OrderByDescending(v => v).ToArray();
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(summary.TopEigenvalues[i] - sorted[i]) < 1e-8 * sorted[0]);
        Assert.True(Math.Abs(summary.Trace - spectrum.Sum()) < 4 * summary.TraceStandardError);
        double exact = EffectiveDimension.FromEigenvalues(spectrum, 2.0);
        Assert.True(Math.Abs(summary.EffectiveDimension - exact) < 0.15 * exact + 1, $"N_eff {summary.EffectiveDimension:F2} against {exact:F2}");
        Assert.True(summary.EffectiveDimensionTopK <= exact + 1e-9);
        Assert.InRange(summary.NegativeMass, 0, 0.05);
        Assert.Equal("Hessian", summary.Curvature);
        var again = GeometryAnalysis.Summarise(op, 2.0, options);
        Assert.Equal(summary.Trace, again.Trace);
        Assert.Equal(summary.EffectiveDimension, again.EffectiveDimension);
    }

    [Fact]
    public void BadSettings_AreRefused_NamingTheSetting()
    {
        var op = CurvatureOperator.FromMatrix(eye(5, dtype: ScalarType.Float64));
        var e = Assert.Throws<ArgumentException>(() => GeometryAnalysis.Summarise(op, 1.0, new GeometryOptions { TopK = 6 }));
        Assert.Equal(nameof(GeometryOptions.TopK), e.ParamName);
        Assert.Contains("5 weights", e.Message);
        Assert.Throws<ArgumentException>(() => GeometryAnalysis.Summarise(op, 0.0, new GeometryOptions { TopK = 2 }));
    }
}
