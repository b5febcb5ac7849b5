using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Fitting;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using Occam.GaussianProcesses.Sparse;
using static Occam.Tests.GaussianProcesses.GpTestData;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Bad hyperparameters, options and inputs fail in C# with messages that name what is wrong.</summary>
public sealed class OptionValidationTests
{
    public static TheoryData<string, string> BadKernels => new()
    {
        { "se-negative", "Lengthscale[0] must be positive" },
        { "se-nan", "Lengthscale[1] must be positive" },
        { "matern-zero", "Lengthscale[0] must be positive" },
        { "rq-alpha", "Alpha[0] must be positive" },
        { "scale-zero", "Outputscale[0] must be positive" },
        { "linear-infinite", "Variance[0] must be positive" },
        { "periodic-period", "Period[0] must be positive" },
        { "nngp-depth", "depth" },
        { "ntk-weight-variance", "weightVariance" },
        { "nngp-bias-variance", "biasVariance" },
    };

    [Theory]
    [MemberData(nameof(BadKernels))]
    public void NonPositiveKernelHyperparametersAreRefusedByName(string which, string expected)
    {
        Func<Kernel> make = which switch
        {
            "se-negative" => () => new SquaredExponentialKernel(-1.0),
            "se-nan" => () => new SquaredExponentialKernel(1.0, double.NaN),
            "matern-zero" => () => new MaternKernel(MaternSmoothness.Half, 0.0),
            "rq-alpha" => () => new RationalQuadraticKernel(-2.0, 1.0),
            "scale-zero" => () => new ScaleKernel(new LinearKernel(), 0.0),
            "linear-infinite" => () => new LinearKernel(double.PositiveInfinity),
            "periodic-period" => () => new PeriodicKernel(0.0, 1.0),
            "nngp-depth" => () => new NngpKernel(0, NetworkActivation.Relu),
            "ntk-weight-variance" => () => new NtkKernel(2, NetworkActivation.Erf, weightVariance: 0.0),
            _ => () => new NngpKernel(2, NetworkActivation.Relu, 1.0, -0.1),
        };
        var error = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AssigningANonPositiveValueIsRefused()
    {
        using var kernel = new SquaredExponentialKernel(1.0, 2.0);
        Assert.Contains("Lengthscale[1]", Assert.ThrowsAny<ArgumentException>(() => kernel.Lengthscale.Assign(1.0, -3.0)).Message);
        Assert.Contains("holds 2 values", Assert.Throws<ArgumentException>(() => kernel.Lengthscale.Assign(1.0)).Message);
        Assert.Equal([1.0, 2.0], kernel.Lengthscale.Values);
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "iterations", "GpFitOptions.Iterations" },
        { "learning-rate", "GpFitOptions.LearningRate" },
        { "restarts", "GpFitOptions.Restarts" },
        { "spread", "GpFitOptions.RestartSpread" },
        { "noise", "ExactGpOptions.NoiseVariance" },
        { "constant", "ExactGpOptions.ConstantMean" },
        { "inducing", "SparseGpOptions.InducingPoints" },
        { "sparse-noise", "SparseGpOptions.NoiseVariance" },
        { "laplace-iterations", "LaplaceOptions.MaxIterations" },
        { "ep-tolerance", "EpOptions.Tolerance" },
        { "multiclass-samples", "MulticlassLaplaceOptions.MonteCarloSamples" },
        { "jitter", "JitterSchedule.Growth" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsNameTheOption(string which, string expected)
    {
        Action validate = which switch
        {
            "iterations" => () => new GpFitOptions { Iterations = 0 }.Validate(),
            "learning-rate" => () => new GpFitOptions { LearningRate = double.NaN }.Validate(),
            "restarts" => () => new GpFitOptions { Restarts = -1 }.Validate(),
            "spread" => () => new GpFitOptions { RestartSpread = -1 }.Validate(),
            "noise" => () => new ExactGpOptions { NoiseVariance = 0 }.Validate(),
            "constant" => () => new ExactGpOptions { ConstantMean = double.NaN }.Validate(),
            "inducing" => () => new SparseGpOptions { InducingPoints = 0 }.Validate(),
            "sparse-noise" => () => new SparseGpOptions { NoiseVariance = -1 }.Validate(),
            "laplace-iterations" => () => new LaplaceOptions { MaxIterations = 0 }.Validate(),
            "ep-tolerance" => () => new EpOptions { Tolerance = 0 }.Validate(),
            "multiclass-samples" => () => new MulticlassLaplaceOptions { MonteCarloSamples = 0 }.Validate(),
            _ => () => new ExactGpOptions { Jitter = new JitterSchedule { Growth = 0.5 } }.Validate(),
        };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(validate).Message);
    }

    [Fact]
    public void ModelsValidateTheirOptionsAndInputsBeforeLibtorch()
    {
        using var scope = NewDisposeScope();
        using var kernel = new SquaredExponentialKernel(1.0, 1.0);
        var x = Inputs(10, 2, seed: 71);
        var y = Targets(x, seed: 71);
        Assert.Contains("NoiseVariance", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = -1 })).Message);
        Assert.Contains("float64", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, x.to_type(ScalarType.Float32), y)).Message);
        Assert.Contains("[N, D]", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, x.reshape(20), y)).Message);
        Assert.Contains("has 9 rows", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, x, y.narrow(0, 0, 9))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, x, y.clone().index_fill_(0, tensor(new long[] { 3 }), double.NaN))).Message);
        Assert.Contains("2 ARD lengthscales", Assert.Throws<ArgumentException>(() => new ExactGaussianProcess(kernel, Inputs(10, 3, seed: 72), y)).Message);
        Assert.Contains("same number of columns", Assert.Throws<ArgumentException>(() => kernel.Matrix(x, Inputs(4, 3, seed: 73))).Message);
        Assert.Contains("must not exceed the 10 training points", Assert.Throws<ArgumentException>(() => new SparseGaussianProcess(kernel, x, y, new SparseGpOptions { InducingPoints = 11 })).Message);
        Assert.Contains("binary labels", Assert.Throws<ArgumentException>(() => new LaplaceBinaryClassifier(kernel, x, full(10, 2.0, dtype: ScalarType.Float64))).Message);
        Assert.Contains("mixes 0 and −1", Assert.Throws<ArgumentException>(() => new EpBinaryClassifier(kernel, x, tensor(new double[] { 0, -1, 1, 1, 1, 1, 1, 1, 1, 1 }))).Message);
        using var gp = new ExactGaussianProcess(kernel, x, y);
        Assert.Contains("GpFitOptions.Iterations", Assert.Throws<ArgumentException>(() => gp.FitHyperparameters(new GpFitOptions { Iterations = -5 })).Message);
    }
}
