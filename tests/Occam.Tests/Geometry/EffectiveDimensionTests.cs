using Occam.Geometry;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>
/// N_eff on Bayesian linear regression, where the posterior is known in closed form: with H = XᵀX/σ² and
/// prior N(0, α⁻¹I), Σ_post = (H + αI)⁻¹ and Σᵢ λᵢ/(λᵢ + α) = tr(I − αΣ_post) = P − α tr(Σ_post), the
/// posterior's contraction from the prior summed over all directions.
/// </summary>
public sealed class EffectiveDimensionTests
{
    private const double Sigma = 0.4;

    private static (nn.Module<Tensor, Tensor> Net, Tensor X, Tensor Y) LinearRegression(int n, int d, ulong seed)
    {
        using var g = new Generator(seed);
        var scales = exp(linspace(-4, 2, d, ScalarType.Float64)); // features from barely to strongly determined
        var x = randn(new long[] { n, d }, ScalarType.Float64, generator: g) * scales;
        var w = randn(new long[] { d, 1 }, ScalarType.Float64, generator: g);
        var y = x.matmul(w) + Sigma * randn(new long[] { n, 1 }, ScalarType.Float64, generator: g);
        var net = nn.Linear(d, 1, hasBias: false);
        net.to(ScalarType.Float64);
        return (net, x, y);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3.0)]
    [InlineData(100.0)]
    public void BayesianLinearRegression_NeffIsThePosteriorContraction(double alpha)
    {
        using var scope = NewDisposeScope();
        const int d = 30;
        var (net, x, y) = LinearRegression(200, d, 5);
        using var likelihood = new GaussianLikelihood(Sigma, learnNoise: false);
        var posteriorCovariance = linalg.inv(x.T.matmul(x) / (Sigma * Sigma) + alpha * eye(d, dtype: ScalarType.Float64));
        double contraction = d - alpha * posteriorCovariance.trace().item<double>();

        var op = CurvatureOperator.Ggn(net, likelihood, x, y);
        using var generator = new Generator(1);
        using var pairs = Lanczos.TopEigenpairs(op, d, steps: d, generator: generator);
        double fromLanczos = EffectiveDimension.FromEigenvalues(pairs.ValuesArray(), alpha);
        Assert.True(Math.Abs(fromLanczos - contraction) < 1e-8 * d, $"N_eff {fromLanczos:F10} against contraction {contraction:F10}");

        var density = StochasticLanczosQuadrature.Estimate(op, probes: 30, steps: d, generator: generator);
        double fromDensity = EffectiveDimension.FromDensity(density, alpha);
        Assert.True(Math.Abs(fromDensity - contraction) < 0.1 * d, $"quadrature N_eff {fromDensity:F3} against {contraction:F3}");
    }

    [Fact]
    public void Neff_LimitsAndTopKLowerBound()
    {
        double[] lambda = [100, 10, 1, 0.1, 0];
        Assert.Equal(100 / 101.0 + 10 / 11.0 + 0.5 + 0.1 / 1.1, EffectiveDimension.FromEigenvalues(lambda, 1), 12);
        Assert.True(EffectiveDimension.FromEigenvalues(lambda, 1e-12) > 3.999);
        Assert.True(EffectiveDimension.FromEigenvalues(lambda, 1e12) < 1e-9);
        Assert.True(EffectiveDimension.FromEigenvalues(lambda.Take(2), 1) < EffectiveDimension.FromEigenvalues(lambda, 1));
        Assert.Equal(0, EffectiveDimension.FromEigenvalues([-5.0, -1], 1)); // negative curvature counts as none
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveOrNonFiniteAlpha_IsOneClearError(double alpha)
    {
        var e = Assert.Throws<ArgumentException>(() => EffectiveDimension.FromEigenvalues([1.0], alpha));
        Assert.Equal("alpha", e.ParamName);
        Assert.Contains("positive", e.Message);
    }

    [Fact]
    public void NonFiniteEigenvalue_IsOneClearError()
    {
        var e = Assert.Throws<NonFiniteCurvatureException>(() => EffectiveDimension.FromEigenvalues([1.0, double.NaN], 1));
        Assert.Contains("not finite", e.Message);
    }
}
