using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Kernels;
using static Occam.Tests.GaussianProcesses.GpTestData;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>
/// Binary Laplace and EP on a 3-point problem against brute force: the posterior mode by nested grid
/// search, and log Z = log ∫ N(f | 0, K) Πᵢ p(yᵢ | fᵢ) df by 40³-point Gauss–Hermite quadrature.
/// </summary>
public sealed class BinaryClassificationTests(ITestOutputHelper output)
{
    private static readonly double[] Labels = [1, -1, 1];

    private static Tensor X() => tensor(new double[,] { { -1.0 }, { 0.2 }, { 1.5 } });

    private static Kernel NewKernel() => new ScaleKernel(new SquaredExponentialKernel(1.0), 2.0);

    private static Matrix<double> Prior()
    {
        using var kernel = NewKernel();
        using var x = X();
        return ToMatrix(kernel.Matrix(x, x));
    }

    private static Func<double, double, double> LogLikelihood(BinaryLikelihood likelihood) => likelihood == BinaryLikelihood.Logistic
        ? (y, f) => -Math.Log(1 + Math.Exp(-y * f))
        : (y, f) => Math.Log(Normal.CDF(0, 1, y * f));

    private static double ExactLogEvidence(Func<double, double, double> logLikelihood, int nodes = 40) =>
        Math.Log(BruteForce.Expectation(Vector<double>.Build.Dense(3), Prior(),
            f => Math.Exp(Enumerable.Range(0, 3).Sum(i => logLikelihood(Labels[i], f[i]))), nodes));

    [Theory]
    [InlineData(BinaryLikelihood.Logistic)]
    [InlineData(BinaryLikelihood.Probit)]
    public void LaplaceModeAndEvidenceMatchBruteForce(BinaryLikelihood likelihood)
    {
        using var scope = NewDisposeScope();
        var k = Prior();
        var kInverse = k.Inverse();
        var logLikelihood = LogLikelihood(likelihood);
        double Psi(double[] f)
        {
            var v = Vector<double>.Build.DenseOfArray(f);
            return Enumerable.Range(0, 3).Sum(i => logLikelihood(Labels[i], f[i])) - 0.5 * v.DotProduct(kInverse * v);
        }
        var mode = BruteForce.Maximise(Psi, 3, halfWidth: 5);
        using var kernel = NewKernel();
        using var model = new LaplaceBinaryClassifier(kernel, X(), tensor(Labels), new LaplaceOptions { Likelihood = likelihood });
        Assert.True(model.Converged);
        var found = model.Mode().data<double>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(mode[i], found[i], 7);

        // The Laplace evidence at the brute-force mode: Ψ(f̂) − ½ log|I + KW|, W by finite differences.
        var w = Matrix<double>.Build.DenseOfDiagonalArray(mode.Select((f, i) => BruteForce.NegativeSecondDerivative(g => logLikelihood(Labels[i], g), f)).ToArray());
        double expected = Psi(mode) - 0.5 * Math.Log((Matrix<double>.Build.DenseIdentity(3) + k * w).Determinant());
        var evidence = model.LogMarginalLikelihood();
        Assert.Equal(expected, evidence.Total, 6);
        Assert.Equal(Psi(mode), evidence.DataFit, 8);
        double exact = ExactLogEvidence(logLikelihood);
        output.WriteLine($"{likelihood}: Laplace log q(y) = {evidence.Total:F6}, exact log Z = {exact:F6}");
        Assert.InRange(evidence.Total - exact, -0.1, 0.1);
    }

    [Fact]
    public void QuadratureReferenceHasConverged()
    {
        var logLikelihood = LogLikelihood(BinaryLikelihood.Probit);
        Assert.Equal(ExactLogEvidence(logLikelihood, 40), ExactLogEvidence(logLikelihood, 60), 10);
    }

    /// <summary>
    /// EP is an approximation, but for probit GP classification a very close one (Kuss &amp; Rasmussen 2005):
    /// on this problem its log Z is 3.1e-4 above the quadrature value, against a tolerance of 2e-3 (Laplace,
    /// for comparison, is 0.042 below it).
    /// </summary>
    [Fact]
    public void EpEvidenceMatchesBruteForceIntegrationOfTheProbitLikelihood()
    {
        using var scope = NewDisposeScope();
        using var kernel = NewKernel();
        using var model = new EpBinaryClassifier(kernel, X(), tensor(Labels));
        Assert.True(model.Converged);
        double exact = ExactLogEvidence(LogLikelihood(BinaryLikelihood.Probit));
        double ep = model.LogMarginalLikelihood().Total;
        output.WriteLine($"EP log Z = {ep:F8}, quadrature log Z = {exact:F8}, difference {ep - exact:g3}");
        Assert.True(Math.Abs(ep - exact) < 2e-3, $"EP {ep:F6} vs quadrature {exact:F6}");
    }

    [Fact]
    public void EpEvidenceEqualsTextbookFormulaAndSitesAreMomentMatched()
    {
        using var scope = NewDisposeScope();
        using var kernel = NewKernel();
        using var model = new EpBinaryClassifier(kernel, X(), tensor(Labels));
        var (tauT, nuT) = model.SiteParameters();
        var tau = ToVector(tauT);
        var nu = ToVector(nuT);
        var k = Prior();
        // q(f) = N(μ, Σ), Σ = (K⁻¹ + S̃)⁻¹, μ = Σ ν̃, computed independently with MathNet.
        var sigma = (k.Inverse() + Matrix<double>.Build.DenseOfDiagonalVector(tau)).Inverse();
        var mu = sigma * nu;
        var siteMean = nu.PointwiseDivide(tau);
        var siteVariance = tau.Map(t => 1 / t);
        double logZ = 0;
        var (nodes, weights) = BruteForce.GaussHermite(60);
        for (int i = 0; i < 3; i++)
        {
            double cavityVariance = 1 / (1 / sigma[i, i] - tau[i]);
            double cavityMean = cavityVariance * (mu[i] / sigma[i, i] - nu[i]);
            double z = Labels[i] * cavityMean / Math.Sqrt(1 + cavityVariance);
            double s = cavityVariance + siteVariance[i];
            logZ += Math.Log(Normal.CDF(0, 1, z)) + 0.5 * Math.Log(s) + Math.Pow(cavityMean - siteMean[i], 2) / (2 * s);
            // EP's fixed point: the marginal q(fᵢ) has the moments of the tilted cavity × Φ(yᵢfᵢ).
            double z0 = 0, z1 = 0, z2 = 0;
            for (int j = 0; j < nodes.Length; j++)
            {
                double f = cavityMean + Math.Sqrt(cavityVariance) * nodes[j];
                double p = weights[j] * Normal.CDF(0, 1, Labels[i] * f);
                z0 += p; z1 += p * f; z2 += p * f * f;
            }
            Assert.Equal(z1 / z0, mu[i], 7);
            Assert.Equal(z2 / z0 - Math.Pow(z1 / z0, 2), sigma[i, i], 7);
        }
        var total = k + Matrix<double>.Build.DenseOfDiagonalVector(siteVariance);
        logZ += -0.5 * Math.Log(total.Determinant()) - 0.5 * siteMean.DotProduct(total.Solve(siteMean));
        Assert.Equal(logZ, model.LogMarginalLikelihood().Total, 9);
    }

    [Theory]
    [InlineData(BinaryLikelihood.Logistic)]
    [InlineData(BinaryLikelihood.Probit)]
    public void LaplacePredictionsMatchAlgorithmThreePointTwoComputedDensely(BinaryLikelihood likelihood)
    {
        using var scope = NewDisposeScope();
        var x = Inputs(20, 2, seed: 51);
        var y = where(x.sum(1) > 0, 1.0, 0.0);
        var xs = Inputs(5, 2, seed: 52);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(1.2), 3.0);
        using var model = new LaplaceBinaryClassifier(kernel, x, y, new LaplaceOptions { Likelihood = likelihood });
        using var prediction = model.Predict(xs);
        var k = ToMatrix(kernel.Matrix(x, x));
        var cross = ToMatrix(kernel.Matrix(x, xs));
        var mode = ToVector(model.Mode());
        var labels = ToVector(y).Map(v => 2 * v - 1);
        var logLikelihood = LogLikelihood(likelihood);
        // ∇ log p and W by finite differences of the likelihood at the mode; the mode satisfies f̂ = K ∇ log p(y | f̂).
        var gradient = Vector<double>.Build.Dense(20, i => (logLikelihood(labels[i], mode[i] + 1e-5) - logLikelihood(labels[i], mode[i] - 1e-5)) / 2e-5);
        Assert.True(MaxAbsDiff(k * gradient, mode) < 1e-6);
        var w = Matrix<double>.Build.DenseOfDiagonalArray(Enumerable.Range(0, 20).Select(i => BruteForce.NegativeSecondDerivative(f => logLikelihood(labels[i], f), mode[i])).ToArray());
        var mean = cross.TransposeThisAndMultiply(gradient);
        var variance = (ToMatrix(kernel.Matrix(xs, xs)) - cross.TransposeThisAndMultiply((k + w.Inverse()).Inverse() * cross)).Diagonal();
        Assert.True(MaxAbsDiff(ToVector(prediction.LatentMean), mean) < 1e-6);
        Assert.True(MaxAbsDiff(ToVector(prediction.LatentVariance), variance) < 1e-5);
        // p(y = 1): the probit integral is exact; for logistic it is MacKay's probit approximation σ(μ/√(1 + πv/8)).
        for (int i = 0; i < 5; i++)
        {
            double expected = likelihood == BinaryLikelihood.Probit
                ? Normal.CDF(0, 1, mean[i] / Math.Sqrt(1 + variance[i]))
                : 1 / (1 + Math.Exp(-mean[i] / Math.Sqrt(1 + Math.PI * variance[i] / 8)));
            Assert.Equal(expected, prediction.Probability[i].item<double>(), 6);
            double quadrature = BruteForce.Expectation(Vector<double>.Build.Dense(1, mean[i]), Matrix<double>.Build.Dense(1, 1, variance[i]),
                f => Math.Exp(logLikelihood(1, f[0])), 40);
            Assert.InRange(prediction.Probability[i].item<double>() - quadrature, -0.02, 0.02);
        }
    }

    [Fact]
    public void EpPredictionsUseTheSitesAsAlgorithmThreePointSixSays()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(15, 2, seed: 53);
        var y = where(x.select(1, 0) > 0.3, 1.0, -1.0);
        var xs = Inputs(4, 2, seed: 54);
        using var kernel = new ScaleKernel(new MaternKernel(MaternSmoothness.FiveHalves, 1.0), 2.0);
        using var model = new EpBinaryClassifier(kernel, x, y);
        using var prediction = model.Predict(xs);
        var (tauT, nuT) = model.SiteParameters();
        var tau = ToVector(tauT);
        var siteMean = ToVector(nuT).PointwiseDivide(tau);
        // The predictive of GP regression with heteroscedastic "noise" 1/τ̃ᵢ on targets ν̃ᵢ/τ̃ᵢ (R&W eq. 3.53–3.54).
        var k = ToMatrix(kernel.Matrix(x, x));
        var cross = ToMatrix(kernel.Matrix(x, xs));
        var a = k + Matrix<double>.Build.DenseOfDiagonalVector(tau.Map(t => 1 / t));
        var mean = cross.TransposeThisAndMultiply(a.Solve(siteMean));
        var variance = (ToMatrix(kernel.Matrix(xs, xs)) - cross.TransposeThisAndMultiply(a.Inverse() * cross)).Diagonal();
        Assert.True(MaxAbsDiff(ToVector(prediction.LatentMean), mean) < 1e-8);
        Assert.True(MaxAbsDiff(ToVector(prediction.LatentVariance), variance) < 1e-8);
        for (int i = 0; i < 4; i++)
            Assert.Equal(Normal.CDF(0, 1, mean[i] / Math.Sqrt(1 + variance[i])), prediction.Probability[i].item<double>(), 8);
        var (m, c) = model.LatentMeanAndCovariance(xs);
        Assert.Equal([4L, 1L], m.shape);
        Assert.Equal([4L, 1L, 1L], c.shape);
    }

    [Fact]
    public void PredictionRefusesAKernelChangedAfterFitting()
    {
        using var scope = NewDisposeScope();
        using var kernel = NewKernel();
        using var model = new LaplaceBinaryClassifier(kernel, X(), tensor(Labels));
        ((ScaleKernel)kernel).Outputscale.Assign(5.0);
        Assert.Contains("changed", Assert.Throws<InvalidOperationException>(() => model.Predict(X())).Message);
    }
}
