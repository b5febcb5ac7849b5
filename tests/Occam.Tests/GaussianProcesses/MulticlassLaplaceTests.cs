using MathNet.Numerics.LinearAlgebra;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Kernels;
using static Occam.Tests.GaussianProcesses.GpTestData;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>
/// Multi-class Laplace (R&amp;W Alg. 3.3, 3.4) against dense Cn×Cn computations with MathNet: the mode's
/// stationarity f̂ = K(y − π̂), the evidence −½f̂ᵀK⁻¹f̂ + log p(y|f̂) − ½ log|I + KW| with W = D − ΠΠᵀ,
/// the predictive covariance diag(k**) − Q*ᵀW(I + KW)⁻¹Q*, and the Monte Carlo class probabilities
/// against quadrature.
/// </summary>
public sealed class MulticlassLaplaceTests
{
    private const int N = 18, C = 3;

    private static (Tensor X, Tensor Y) Data()
    {
        var x = Inputs(N, 2, seed: 61);
        var angle = atan2(x.select(1, 1), x.select(1, 0));
        var y = ((angle + Math.PI) / (2 * Math.PI / C)).floor().clamp(0, C - 1).to_type(ScalarType.Int64);
        return (x, y);
    }

    private static Kernel NewKernel() => new ScaleKernel(new SquaredExponentialKernel(1.1), 2.5);

    /// <summary>Block-diagonal prior, one-hot labels, π̂ and W = D − ΠΠᵀ in class-major order (index c·N + i).</summary>
    private static (Matrix<double> K, Matrix<double> Big, Vector<double> F, Vector<double> Y, Vector<double> Pi, Matrix<double> W) Dense(Kernel kernel, Tensor x, Tensor y, LaplaceMulticlassClassifier model)
    {
        var k = ToMatrix(kernel.Matrix(x, x));
        var big = Matrix<double>.Build.Dense(C * N, C * N);
        for (int c = 0; c < C; c++) big.SetSubMatrix(c * N, c * N, k);
        var mode = ToMatrix(model.Mode());                                  // [N, C]
        var f = Vector<double>.Build.Dense(C * N, j => mode[j % N, j / N]);
        var labels = y.data<long>().ToArray();
        var one = Vector<double>.Build.Dense(C * N, j => labels[j % N] == j / N ? 1 : 0);
        var pi = Vector<double>.Build.Dense(C * N, j =>
        {
            int i = j % N;
            double norm = Enumerable.Range(0, C).Sum(c => Math.Exp(mode[i, c]));
            return Math.Exp(mode[i, j / N]) / norm;
        });
        var w = Matrix<double>.Build.DenseOfDiagonalVector(pi);
        for (int a = 0; a < C * N; a++)
            for (int b = 0; b < C * N; b++)
                if (a % N == b % N) w[a, b] -= pi[a] * pi[b];
        return (k, big, f, one, pi, w);
    }

    [Fact]
    public void ModeIsStationaryAndEvidenceMatchesDenseComputation()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var kernel = NewKernel();
        using var model = new LaplaceMulticlassClassifier(kernel, x, y, C);
        Assert.True(model.Converged);
        var (_, big, f, one, pi, w) = Dense(kernel, x, y, model);
        Assert.True(MaxAbsDiff(big * (one - pi), f) < 1e-7, "f̂ ≠ K(y − π̂)");
        double logLikelihood = one.DotProduct(f) - Enumerable.Range(0, N).Sum(i => Math.Log(Enumerable.Range(0, C).Sum(c => Math.Exp(f[c * N + i]))));
        double quadratic = f.DotProduct(big.Solve(f));
        double logDet = Math.Log((Matrix<double>.Build.DenseIdentity(C * N) + big * w).Determinant());
        var evidence = model.LogMarginalLikelihood();
        Assert.Equal(logLikelihood - 0.5 * quadratic, evidence.DataFit, 6);
        Assert.Equal(-0.5 * logDet, evidence.Complexity, 8);
    }

    [Fact]
    public void PredictiveMeanAndCovarianceMatchDenseComputation()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        var xs = Inputs(4, 2, seed: 62);
        using var kernel = NewKernel();
        using var model = new LaplaceMulticlassClassifier(kernel, x, y, C);
        using var prediction = model.Predict(xs);
        var (_, big, _, one, pi, w) = Dense(kernel, x, y, model);
        var cross = ToMatrix(kernel.Matrix(x, xs));
        var prior = ToMatrix(kernel.Matrix(xs, xs));
        var middle = w * (Matrix<double>.Build.DenseIdentity(C * N) + big * w).Inverse();
        var means = ToMatrix(prediction.LatentMean);
        for (int s = 0; s < 4; s++)
        {
            var q = Matrix<double>.Build.Dense(C * N, C);
            for (int c = 0; c < C; c++) for (int i = 0; i < N; i++) q[c * N + i, c] = cross[i, s];
            var expectedMean = q.TransposeThisAndMultiply(one - pi);
            var expected = Matrix<double>.Build.DenseIdentity(C) * prior[s, s] - q.TransposeThisAndMultiply(middle * q);
            var actual = ToMatrix(prediction.LatentCovariance[s]);
            Assert.True(MaxAbsDiff(means.Row(s), expectedMean) < 1e-7);
            Assert.True(MaxAbsDiff(actual, expected) < 1e-7, $"point {s}: covariance differs by {MaxAbsDiff(actual, expected):g3}");
        }
        var (m, c2) = model.LatentMeanAndCovariance(xs);
        Assert.Equal([4L, (long)C], m.shape);
        Assert.Equal([4L, (long)C, (long)C], c2.shape);
    }

    /// <summary>
    /// E[softmax(f)] by 24³-point Gauss–Hermite quadrature on the predicted Gaussian; the tolerance is 4
    /// Monte Carlo standard errors, sd(softmax_c(f))/√S, with the sd from the same quadrature.
    /// </summary>
    [Fact]
    public void MonteCarloClassProbabilitiesMatchQuadratureWithinFourStandardErrors()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        var xs = Inputs(3, 2, seed: 63, scale: 1.5);
        using var kernel = NewKernel();
        var options = new MulticlassLaplaceOptions { MonteCarloSamples = 4000, Seed = 5 };
        using var model = new LaplaceMulticlassClassifier(kernel, x, y, C, options);
        using var prediction = model.Predict(xs);
        using var again = model.Predict(xs);
        Assert.True(prediction.Probabilities.eq(again.Probabilities).all().item<bool>(), "the same seed must give the same probabilities");
        var probabilities = ToMatrix(prediction.Probabilities);
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(1.0, probabilities.Row(s).Sum(), 12);
            var mean = ToVector(prediction.LatentMean[s]);
            var covariance = ToMatrix(prediction.LatentCovariance[s]) + 1e-12 * Matrix<double>.Build.DenseIdentity(C);
            for (int c = 0; c < C; c++)
            {
                int cls = c;
                double Softmax(double[] f) => Math.Exp(f[cls]) / f.Sum(Math.Exp);
                double expected = BruteForce.Expectation(mean, covariance, Softmax, 24);
                double second = BruteForce.Expectation(mean, covariance, f => Softmax(f) * Softmax(f), 24);
                double se = Math.Sqrt(Math.Max(second - expected * expected, 0) / options.MonteCarloSamples);
                Assert.True(Math.Abs(probabilities[s, c] - expected) <= 4 * se + 1e-9,
                    $"point {s}, class {c}: Monte Carlo {probabilities[s, c]:F4} vs quadrature {expected:F4} (SE {se:F4})");
            }
        }
    }

    [Fact]
    public void LabelsOutsideTheClassesAreRefused()
    {
        using var scope = NewDisposeScope();
        var (x, _) = Data();
        using var kernel = NewKernel();
        var bad = full(N, 3L, dtype: ScalarType.Int64);
        Assert.Contains("[0, 3)", Assert.Throws<ArgumentException>(() => new LaplaceMulticlassClassifier(kernel, x, bad, C)).Message);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => new LaplaceMulticlassClassifier(kernel, x, zeros(N, dtype: ScalarType.Float64), C)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaplaceMulticlassClassifier(kernel, x, zeros(N, dtype: ScalarType.Int64), 1));
    }

    [Fact]
    public void PredictionLeavesNoTensorsBehind()
    {
        var (x, y) = Data();
        using var xs = Inputs(3, 2, seed: 64);
        using var kernel = NewKernel();
        using var model = new LaplaceMulticlassClassifier(kernel, x, y, C, new MulticlassLaplaceOptions { MonteCarloSamples = 50 });
        using (model.Predict(xs)) { }
        long before = LiveTensors.Count;
        using (model.Predict(xs)) { }
        var (m, c) = model.LatentMeanAndCovariance(xs);
        m.Dispose();
        c.Dispose();
        using (model.Mode()) { }
        Assert.Equal(before, LiveTensors.Count);
        x.Dispose();
        y.Dispose();
    }
}
