using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using Occam.GaussianProcesses.Sparse;
using static Occam.Tests.GaussianProcesses.GpTestData;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>The Titsias (2009) bound against the exact GP it approximates.</summary>
public sealed class SparseGpTests
{
    private static Kernel NewKernel() => new ScaleKernel(new SquaredExponentialKernel(0.9, 1.4), 1.2);

    [Fact]
    public void BoundStaysBelowTheExactLogMarginalLikelihoodAndRisesWithNestedInducingSets()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(40, 2, seed: 41);
        var y = Targets(x, seed: 41);
        using var kernel = NewKernel();
        var options = new ExactGpOptions { Mean = GpMean.Constant, ConstantMean = 0.4, NoiseVariance = 0.05 };
        using var exact = new ExactGaussianProcess(kernel, x, y, options);
        double lml = exact.LogMarginalLikelihood().Total;
        var order = randperm(40, generator: new Generator(3));
        double previous = double.NegativeInfinity;
        foreach (int m in new[] { 3, 8, 15, 25, 35 })
        {
            var z = x.index_select(0, order.narrow(0, 0, m));
            using var sparse = new SparseGaussianProcess(kernel, x, y, z, new SparseGpOptions { Mean = GpMean.Constant, ConstantMean = 0.4, NoiseVariance = 0.05 });
            var bound = sparse.LogMarginalLikelihood();
            Assert.True(bound.Total <= lml + 1e-8, $"M = {m}: bound {bound.Total:F6} above the exact {lml:F6}");
            Assert.True(bound.Total >= previous - 1e-8, $"M = {m}: bound {bound.Total:F6} fell from {previous:F6}");
            Assert.True(bound.Penalty <= 0);
            previous = bound.Total;
        }
    }

    [Fact]
    public void WithAllTrainingPointsAsInducingInputsItIsTheExactGp()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(30, 2, seed: 42);
        var y = Targets(x, seed: 42);
        var xs = Inputs(6, 2, seed: 43);
        using var kernel = NewKernel();
        using var exact = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = 0.1 });
        using var sparse = new SparseGaussianProcess(kernel, x, y, x, new SparseGpOptions { NoiseVariance = 0.1 });
        var e = exact.LogMarginalLikelihood();
        var s = sparse.LogMarginalLikelihood();
        Assert.Equal(e.Total, s.Total, 6);
        Assert.Equal(0.0, s.Penalty, 6);
        Assert.Equal(e.DataFit, s.DataFit, 6);
        Assert.Equal(e.Complexity, s.Complexity, 6);
        using var pe = exact.Predict(xs);
        using var ps = sparse.Predict(xs);
        Assert.True(MaxAbsDiff(ToVector(pe.Mean), ToVector(ps.Mean)) < 1e-6);
        Assert.True(MaxAbsDiff(ToVector(pe.LatentVariance), ToVector(ps.LatentVariance)) < 1e-6);
        Assert.True(MaxAbsDiff(ToVector(pe.NoisyVariance), ToVector(ps.NoisyVariance)) < 1e-6);
    }

    [Fact]
    public void BoundGradientIncludingInducingInputsMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(25, 2, seed: 44);
        var y = Targets(x, seed: 44);
        using var kernel = NewKernel();
        using var sparse = new SparseGaussianProcess(kernel, x, y, new SparseGpOptions { InducingPoints = 6, TrainInducing = true, Mean = GpMean.Constant, NoiseVariance = 0.2 });
        Assert.Contains(sparse.InducingInputs, sparse.Hyperparameters);
        FiniteDifferences.AssertGradientMatches(sparse.Hyperparameters, () => sparse.BoundTerms(), tolerance: 1e-5);
    }

    [Fact]
    public void HandlesTwentyThousandPointsWithKMeansInducingInputs()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(45);
        var x = rand([20_000, 2], dtype: ScalarType.Float64, generator: g) * 6 - 3;
        var f = (x.select(1, 0) * 1.5).sin() + 0.5 * x.select(1, 1);
        var y = f + 0.1 * randn([20_000], dtype: ScalarType.Float64, generator: g);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(1.0, 2.0));
        using var sparse = new SparseGaussianProcess(kernel, x, y, new SparseGpOptions { InducingPoints = 40, KMeansIterations = 10, NoiseVariance = 0.01 });
        var xs = rand([200, 2], dtype: ScalarType.Float64, generator: g) * 4 - 2;
        using var prediction = sparse.Predict(xs);
        var truth = (xs.select(1, 0) * 1.5).sin() + 0.5 * xs.select(1, 1);
        double rmse = (prediction.Mean - truth).square().mean().sqrt().item<double>();
        Assert.True(rmse < 0.05, $"RMSE {rmse:F3}");
        Assert.True(double.IsFinite(sparse.LogMarginalLikelihood().Total));
    }

    [Fact]
    public void FittingRaisesTheBoundAndFindsTheNoise()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(49);
        var x = rand([500, 1], dtype: ScalarType.Float64, generator: g) * 6 - 3;
        var y = (x.squeeze(1) * 1.5).sin() + 0.1 * randn([500], dtype: ScalarType.Float64, generator: g);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(3.0), 0.3);
        using var sparse = new SparseGaussianProcess(kernel, x, y, new SparseGpOptions { InducingPoints = 20, NoiseVariance = 0.5 });
        double before = sparse.LogMarginalLikelihood().Total;
        var report = sparse.FitHyperparameters(new GpFitOptions { Iterations = 15 });
        Assert.True(report.LogMarginalLikelihood > before + 50);
        Assert.InRange(sparse.NoiseVariance.Scalar, 0.007, 0.014);   // the data were made with noise variance 0.01
    }

    [Fact]
    public void KMeansFindsTheCentresOfSeparatedClustersAndIsSeeded()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(46);
        var centres = tensor(new double[,] { { 0, 0 }, { 10, 0 }, { 0, 10 } });
        var x = cat([centres[0] + 0.3 * randn([50, 2], dtype: ScalarType.Float64, generator: g),
                     centres[1] + 0.3 * randn([60, 2], dtype: ScalarType.Float64, generator: g),
                     centres[2] + 0.3 * randn([40, 2], dtype: ScalarType.Float64, generator: g)], 0);
        var found = KMeans.Centers(x, 3, seed: 1);
        Assert.True(found.eq(KMeans.Centers(x, 3, seed: 1)).all().item<bool>());
        foreach (int c in new[] { 0, 1, 2 })
        {
            double nearest = (found - centres[c]).square().sum(1).sqrt().min().item<double>();
            Assert.True(nearest < 0.15, $"cluster {c}: nearest centre {nearest:F3} away");
        }
    }

    [Fact]
    public void RandomSubsetInducingInputsAreTrainingRowsAndLatentShapesAreRight()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(30, 2, seed: 47);
        var y = Targets(x, seed: 47);
        using var kernel = NewKernel();
        using var sparse = new SparseGaussianProcess(kernel, x, y, new SparseGpOptions { InducingPoints = 5, Selection = InducingSelection.RandomSubset, Seed = 2 });
        var z = sparse.InducingInputs.Value();
        Assert.Equal([5L, 2L], z.shape);
        for (int i = 0; i < 5; i++) Assert.Equal(0.0, (x - z[i]).abs().sum(1).min().item<double>(), 12);
        var (mean, covariance) = sparse.LatentMeanAndCovariance(Inputs(4, 2, seed: 48));
        Assert.Equal([4L, 1L], mean.shape);
        Assert.Equal([4L, 1L, 1L], covariance.shape);
    }
}
