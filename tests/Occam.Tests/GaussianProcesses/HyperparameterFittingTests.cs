using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using static Occam.Tests.GaussianProcesses.GpTestData;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

public sealed class HyperparameterFittingTests
{
    [Fact]
    public void LbfgsReachesAStationaryPointThatBeatsTheStart()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(40, 2, seed: 31);
        var y = Targets(x, seed: 31, noise: 0.1);
        using var kernel = new ScaleKernel(new SquaredExponentialKernel(3.0, 3.0), 0.3);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { Mean = GpMean.Constant, NoiseVariance = 0.5 });
        double before = gp.LogMarginalLikelihood().Total;
        var report = gp.FitHyperparameters(new GpFitOptions { Optimizer = GpOptimizer.Lbfgs, Iterations = 200 });
        double after = gp.LogMarginalLikelihood().Total;
        Assert.True(after > before + 1, $"LML {before:F3} → {after:F3}");
        Assert.Equal(report.LogMarginalLikelihood, after, 8);
        using (var terms = gp.LogMarginalLikelihoodTerms()) terms.Total.backward();
        double largest = gp.Hyperparameters.Max(h => h.Raw.grad!.abs().max().item<double>());
        Assert.True(largest < 1e-3, $"largest gradient entry at the optimum {largest:g3}");
        Assert.InRange(gp.NoiseVariance.Scalar, 0.002, 0.05);   // the data were made with noise variance 0.01
    }

    [Fact]
    public void AdamImprovesTheLogMarginalLikelihood()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(30, 1, seed: 32);
        var y = Targets(x, seed: 32);
        using var kernel = new ScaleKernel(new MaternKernel(MaternSmoothness.FiveHalves, 3.0), 0.3);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = 0.5 });
        double before = gp.LogMarginalLikelihood().Total;
        var report = gp.FitHyperparameters(new GpFitOptions { Optimizer = GpOptimizer.Adam, Iterations = 60, LearningRate = 0.1 });
        Assert.True(report.LogMarginalLikelihood > before + 1);
        Assert.Equal(report.LogMarginalLikelihood, gp.LogMarginalLikelihood().Total, 8);
    }

    [Fact]
    public void RestartsKeepTheBestStartAndAreReproducible()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(25, 1, seed: 33, scale: 2);
        var y = Targets(x, seed: 33);
        double[] Fit()
        {
            using var kernel = new ScaleKernel(new SquaredExponentialKernel(0.05), 1.0);
            using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = 1.0 });
            var report = gp.FitHyperparameters(new GpFitOptions { Iterations = 50, Restarts = 3, RestartSpread = 1.5, Seed = 4 });
            Assert.Equal(4, report.FinalValues.Count);
            Assert.Equal(report.FinalValues.Where(double.IsFinite).Max(), report.LogMarginalLikelihood, 12);
            Assert.Equal(report.LogMarginalLikelihood, gp.LogMarginalLikelihood().Total, 8);
            return gp.Hyperparameters.SelectMany(h => h.Values).ToArray();
        }
        Assert.Equal(Fit(), Fit());
    }

    [Fact]
    public void FixedNoiseStaysFixedWhileTheKernelTrains()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(20, 1, seed: 34);
        var y = Targets(x, seed: 34);
        using var kernel = new SquaredExponentialKernel(2.0);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = 0.05, LearnNoise = false });
        Assert.DoesNotContain(gp.NoiseVariance, gp.Hyperparameters);
        gp.FitHyperparameters(new GpFitOptions { Iterations = 20 });
        Assert.Equal(0.05, gp.NoiseVariance.Scalar, 12);
        Assert.NotEqual(2.0, kernel.Lengthscale.Scalar);
    }

    [Fact]
    public void PredictionsFollowHyperparametersChangedAfterAnEarlierPrediction()
    {
        using var scope = NewDisposeScope();
        var x = Inputs(15, 1, seed: 35);
        var y = Targets(x, seed: 35);
        var xs = Inputs(3, 1, seed: 36);
        using var kernel = new SquaredExponentialKernel(1.0);
        using var gp = new ExactGaussianProcess(kernel, x, y);
        var first = gp.Predict(xs).Mean.data<double>().ToArray();
        kernel.Lengthscale.Assign(0.3);
        var second = gp.Predict(xs).Mean.data<double>().ToArray();
        using var fresh = new ExactGaussianProcess(kernel, x, y);
        Assert.NotEqual(first, second);
        Assert.Equal(fresh.Predict(xs).Mean.data<double>().ToArray(), second);
    }
}
