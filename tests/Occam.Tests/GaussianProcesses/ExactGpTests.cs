using MathNet.Numerics.LinearAlgebra;
using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using static Occam.Tests.GaussianProcesses.GpTestData;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Exact GP regression against an independent float64 computation with MathNet.Numerics.</summary>
public sealed class ExactGpTests
{
    private static readonly double[] Lengthscales = [0.7, 1.3, 2.0];
    private const double Outputscale = 1.7, Noise = 0.2, Constant = 0.3;

    private static double Reference(double[] a, double[] b) => Outputscale * Math.Exp(-0.5 * ScaledSquaredDistance(a, b, Lengthscales));

    private static (Kernel Kernel, ExactGaussianProcess Gp) Model(Tensor x, Tensor y)
    {
        var kernel = new ScaleKernel(new SquaredExponentialKernel(Lengthscales), Outputscale);
        var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant, ConstantMean = Constant, NoiseVariance = Noise });
        return (kernel, gp);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LogMarginalLikelihoodAndItsPartsMatchMathNet(int seed)
    {
        using var scope = NewDisposeScope();
        var x = Inputs(25, 3, seed);
        var y = Targets(x, seed);
        var (kernel, gp) = Model(x, y);
        using (kernel) using (gp)
        {
            var lml = gp.LogMarginalLikelihood();
            var xm = ToMatrix(x);
            var a = Gram(xm, xm, Reference) + Noise * Matrix<double>.Build.DenseIdentity(25);
            var r = ToVector(y) - Constant;
            var chol = a.Cholesky();
            double dataFit = -0.5 * r.DotProduct(chol.Solve(r));
            double complexity = -0.5 * LogDet(a);
            double constant = -0.5 * 25 * Math.Log(2 * Math.PI);
            Assert.Equal(dataFit, lml.DataFit, 10);
            Assert.Equal(complexity, lml.Complexity, 10);
            Assert.Equal(constant, lml.Constant, 12);
            Assert.Equal(dataFit + complexity + constant, lml.Total, 10);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void PosteriorMeanVariancesAndCovarianceMatchMathNet(int seed)
    {
        using var scope = NewDisposeScope();
        var x = Inputs(30, 3, seed);
        var y = Targets(x, seed);
        var xs = Inputs(7, 3, seed + 100);
        var (kernel, gp) = Model(x, y);
        using (kernel) using (gp)
        {
            using var prediction = gp.Predict(xs);
            var covariance = ToMatrix(gp.LatentCovariance(xs));
            var xm = ToMatrix(x);
            var sm = ToMatrix(xs);
            var a = Gram(xm, xm, Reference) + Noise * Matrix<double>.Build.DenseIdentity(30);
            var cross = Gram(xm, sm, Reference);
            var inverse = a.Inverse();
            var mean = cross.TransposeThisAndMultiply(inverse * (ToVector(y) - Constant)) + Constant;
            var expectedCovariance = Gram(sm, sm, Reference) - cross.TransposeThisAndMultiply(inverse * cross);
            Assert.True(MaxAbsDiff(ToVector(prediction.Mean), mean) < 1e-9);
            Assert.True(MaxAbsDiff(ToVector(prediction.LatentVariance), expectedCovariance.Diagonal()) < 1e-9, $"latent {ToVector(prediction.LatentVariance)} {expectedCovariance.Diagonal()}");
            Assert.True(MaxAbsDiff(ToVector(prediction.NoisyVariance), expectedCovariance.Diagonal() + Noise) < 1e-9, $"noisy {ToVector(prediction.NoisyVariance)} {expectedCovariance.Diagonal() + Noise}");
            Assert.True(MaxAbsDiff(covariance, expectedCovariance) < 1e-9);
            var (latentMean, latentCovariance) = gp.LatentMeanAndCovariance(xs);
            Assert.Equal([7L, 1L], latentMean.shape);
            Assert.Equal([7L, 1L, 1L], latentCovariance.shape);
            Assert.True(MaxAbsDiff(ToVector(latentCovariance), expectedCovariance.Diagonal()) < 1e-9);
        }
    }

    [Fact]
    public void LogMarginalLikelihoodGradientMatchesCentralFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(20, 2, seed: 7);
        var y = Targets(x, seed: 7);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(0.8, 1.4), 1.3) + new MaternKernel(MaternSmoothness.ThreeHalves, 1.1) * new PeriodicKernel(2.5, 1.2);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant, NoiseVariance = 0.15 });
        FiniteDifferences.AssertGradientMatches(gp.Hyperparameters, () => gp.LogMarginalLikelihoodTerms());
    }

    [Fact]
    public void EachPartOfTheLogMarginalLikelihoodHasTheRightGradient()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(15, 2, seed: 8);
        var y = Targets(x, seed: 8);
        using var kernel = new ScaleKernel(new RationalQuadraticKernel(1.5, 0.9), 0.8);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant, NoiseVariance = 0.3 });
        FiniteDifferences.AssertGradientMatches(gp.Hyperparameters, () => gp.LogMarginalLikelihoodTerms(), t => t.DataFit);
        FiniteDifferences.AssertGradientMatches(gp.Hyperparameters, () => gp.LogMarginalLikelihoodTerms(), t => t.Complexity);
    }

    [Fact]
    public void SingularKernelMatrixWithoutNoiseUsesJitter()
    {
        using var scope = NewDisposeScope();
        var x = cat([Inputs(5, 1, seed: 9), Inputs(5, 1, seed: 9)], 0);   // every point twice
        var y = Targets(x, seed: 9, noise: 0);
        using var kernel = new SquaredExponentialKernel(1.0);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = 1e-300 });
        var lml = gp.LogMarginalLikelihood();
        Assert.True(double.IsFinite(lml.Total));
        Assert.True(gp.JitterUsed > 0);
    }

    [Fact]
    public void ExactGpThatWouldNotFitInMemoryIsRefusedBeforeAllocating()
    {
        using var scope = NewDisposeScope();
        using var kernel = new SquaredExponentialKernel(1.0);
        var x = zeros(2_000_000, 1, dtype: ScalarType.Float64);      // 16 MB of inputs; K would need 32 TB
        var y = zeros(2_000_000, dtype: ScalarType.Float64);
        var error = Assert.Throws<GpTooLargeException>(() => new ExactGaussianProcess(kernel, x, y));
        Assert.Contains("SparseGaussianProcess", error.Message);
        Assert.Contains("2,000,000", error.Message);
        Assert.Throws<GpTooLargeException>(() => MemoryGuard.RequireExactGp(1000, availableBytes: 1 << 20));
        MemoryGuard.RequireExactGp(1000, availableBytes: 1L << 30);
    }

    [Fact]
    public void ModelsLeaveNoTensorsBehindOnceDisposed()
    {
        using var x = Inputs(20, 2, seed: 12);
        using var y = Targets(x, seed: 12);
        using var labels = (y > 0.5).to_type(ScalarType.Float64);
        using var classes = (y > 0.5).to_type(ScalarType.Int64) + (y > 1.0).to_type(ScalarType.Int64);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(1.0));
        long before = LiveTensors.Count;
        using (var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant }))
            gp.FitHyperparameters(new GpFitOptions { Iterations = 2 });
        using (var sparse = new Occam.GaussianProcesses.Sparse.SparseGaussianProcess(kernel, x, y, new Occam.GaussianProcesses.Sparse.SparseGpOptions { InducingPoints = 5, TrainInducing = true }))
            sparse.FitHyperparameters(new GpFitOptions { Optimizer = GpOptimizer.Adam, Iterations = 2 });
        new Occam.GaussianProcesses.Classification.LaplaceBinaryClassifier(kernel, x, labels).Dispose();
        new Occam.GaussianProcesses.Classification.EpBinaryClassifier(kernel, x, labels).Dispose();
        new Occam.GaussianProcesses.Classification.LaplaceMulticlassClassifier(kernel, x, classes, 3).Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void PredictionLeavesNoTensorsBehind()
    {
        using var x = Inputs(20, 2, seed: 10);
        using var y = Targets(x, seed: 10);
        using var xs = Inputs(5, 2, seed: 11);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(1.0));
        using var gp = new ExactGaussianProcess(kernel, x, y);
        using (gp.Predict(xs)) { }
        long before = LiveTensors.Count;
        using (gp.Predict(xs)) { }
        var (m, c) = gp.LatentMeanAndCovariance(xs);
        m.Dispose();
        c.Dispose();
        using (gp.LatentCovariance(xs)) { }
        using (gp.LogMarginalLikelihoodTerms()) { }
        Assert.Equal(before, LiveTensors.Count);
    }
}
