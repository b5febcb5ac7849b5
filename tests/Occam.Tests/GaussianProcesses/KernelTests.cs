using MathNet.Numerics.LinearAlgebra;
using Occam.GaussianProcesses.Kernels;
using static Occam.Tests.GaussianProcesses.GpTestData;
using static TorchSharp.torch;

namespace Occam.Tests.GaussianProcesses;

/// <summary>Every kernel: symmetric, positive semi-definite (MathNet eigenvalues), a diagonal that matches the matrix, and closed forms computed here in plain C#.</summary>
public sealed class KernelTests
{
    public static TheoryData<string> AllKernels => new(Factories.Keys);

    private static readonly Dictionary<string, Func<Kernel>> Factories = new()
    {
        ["se"] = () => new SquaredExponentialKernel(0.8),
        ["se-ard"] = () => new SquaredExponentialKernel(0.5, 1.0, 2.0),
        ["matern12"] = () => new MaternKernel(MaternSmoothness.Half, 0.7, 1.2, 0.9),
        ["matern32"] = () => new MaternKernel(MaternSmoothness.ThreeHalves, 0.7, 1.2, 0.9),
        ["matern52"] = () => new MaternKernel(MaternSmoothness.FiveHalves, 1.3),
        ["rq"] = () => new RationalQuadraticKernel(0.7, 1.1, 0.6, 1.5),
        ["linear"] = () => new LinearKernel(0.6),
        ["periodic"] = () => new PeriodicKernel(1.7, 0.8),
        ["scale"] = () => new ScaleKernel(new SquaredExponentialKernel(1.0), 2.5),
        ["sum"] = () => new SquaredExponentialKernel(0.9) + new LinearKernel(0.3),
        ["product"] = () => new MaternKernel(MaternSmoothness.ThreeHalves, 1.5) * new PeriodicKernel(2.0, 1.0),
        ["nngp-relu-3"] = () => new NngpKernel(3, NetworkActivation.Relu, 2.0, 0.1),
        ["nngp-erf-2"] = () => new NngpKernel(2, NetworkActivation.Erf, 1.5, 0.2),
        ["ntk-relu-2"] = () => new NtkKernel(2, NetworkActivation.Relu, 2.0, 0.1),
        ["ntk-erf-3"] = () => new NtkKernel(3, NetworkActivation.Erf, 1.2, 0.0),
    };

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void KernelMatrixIsSymmetricPositiveSemidefiniteWithMatchingDiagonalAndTranspose(string name)
    {
        using var scope = NewDisposeScope();
        using var kernel = Factories[name]();
        var x = Inputs(40, 3, seed: 11);
        var x2 = Inputs(15, 3, seed: 12);
        var k = ToMatrix(kernel.Matrix(x, x));
        Assert.True(MaxAbsDiff(k, k.Transpose()) <= 1e-12 * MaxAbs(k), $"{name}: not symmetric");
        var eigenvalues = k.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();
        Assert.True(eigenvalues.Min() >= -1e-10 * eigenvalues.Max(), $"{name}: smallest eigenvalue {eigenvalues.Min():g3} (largest {eigenvalues.Max():g3})");
        var diagonal = ToVector(kernel.Diagonal(x));
        Assert.True(MaxAbsDiff(diagonal, k.Diagonal()) <= 1e-12 * MaxAbs(k), $"{name}: Diagonal differs from the matrix diagonal");
        var k12 = ToMatrix(kernel.Matrix(x, x2));
        var k21 = ToMatrix(kernel.Matrix(x2, x));
        Assert.True(MaxAbsDiff(k12, k21.Transpose()) <= 1e-12 * MaxAbs(k12), $"{name}: k(x1, x2) ≠ k(x2, x1)ᵀ");
    }

    public static TheoryData<string> ClosedForms => new(Reference.Keys);

    /// <summary>Closed forms of Rasmussen &amp; Williams (2006) ch. 4 and MacKay's periodic kernel, written independently here.</summary>
    private static readonly Dictionary<string, (Func<Kernel> Make, Func<double[], double[], double> K)> Reference = new()
    {
        ["se-ard"] = (() => new SquaredExponentialKernel(0.5, 1.0, 2.0), (a, b) => Math.Exp(-0.5 * ScaledSquaredDistance(a, b, [0.5, 1.0, 2.0]))),
        ["matern12"] = (() => new MaternKernel(MaternSmoothness.Half, 0.7, 1.2, 0.9), (a, b) => Math.Exp(-R(a, b, [0.7, 1.2, 0.9]))),
        ["matern32"] = (() => new MaternKernel(MaternSmoothness.ThreeHalves, 0.7, 1.2, 0.9),
            (a, b) => { double r = R(a, b, [0.7, 1.2, 0.9]); return (1 + Math.Sqrt(3) * r) * Math.Exp(-Math.Sqrt(3) * r); }),
        ["matern52"] = (() => new MaternKernel(MaternSmoothness.FiveHalves, 1.3),
            (a, b) => { double r = R(a, b, [1.3]); return (1 + Math.Sqrt(5) * r + 5 * r * r / 3) * Math.Exp(-Math.Sqrt(5) * r); }),
        ["rq"] = (() => new RationalQuadraticKernel(0.7, 1.1, 0.6, 1.5), (a, b) => Math.Pow(1 + ScaledSquaredDistance(a, b, [1.1, 0.6, 1.5]) / (2 * 0.7), -0.7)),
        ["linear"] = (() => new LinearKernel(0.6), (a, b) => 0.6 * a.Zip(b, (u, v) => u * v).Sum()),
        ["periodic"] = (() => new PeriodicKernel(1.7, 0.8),
            (a, b) => Math.Exp(-2 * a.Zip(b, (u, v) => Math.Pow(Math.Sin(Math.PI * Math.Abs(u - v) / 1.7), 2)).Sum() / (0.8 * 0.8))),
        ["scale*se+linear"] = (() => new ScaleKernel(new SquaredExponentialKernel(0.9), 2.5) + new LinearKernel(0.3),
            (a, b) => 2.5 * Math.Exp(-0.5 * ScaledSquaredDistance(a, b, [0.9])) + 0.3 * a.Zip(b, (u, v) => u * v).Sum()),
        ["matern32*periodic"] = (() => new MaternKernel(MaternSmoothness.ThreeHalves, 1.5) * new PeriodicKernel(2.0, 1.0),
            (a, b) =>
            {
                double r = R(a, b, [1.5]);
                double m = (1 + Math.Sqrt(3) * r) * Math.Exp(-Math.Sqrt(3) * r);
                return m * Math.Exp(-2 * a.Zip(b, (u, v) => Math.Pow(Math.Sin(Math.PI * (u - v) / 2.0), 2)).Sum());
            }),
        // One hidden ReLU layer, σ_b = 0: the arc-cosine kernel of degree 1 (Cho & Saul 2009) on σ_w² x·x′/D.
        ["nngp-relu-1"] = (() => new NngpKernel(1, NetworkActivation.Relu, 2.0, 0.0), (a, b) =>
        {
            double d = a.Length, na = Math.Sqrt(2.0 * Dot(a, a) / d), nb = Math.Sqrt(2.0 * Dot(b, b) / d);
            double cos = Math.Clamp(2.0 * Dot(a, b) / d / (na * nb), -1, 1), t = Math.Acos(cos);
            return 2.0 * na * nb / (2 * Math.PI) * (Math.Sin(t) + (Math.PI - t) * cos);
        }),
    };

    [Theory]
    [MemberData(nameof(ClosedForms))]
    public void KernelMatchesItsClosedForm(string name)
    {
        using var scope = NewDisposeScope();
        var (make, reference) = Reference[name];
        using var kernel = make();
        var x1 = Inputs(12, 3, seed: 21);
        var x2 = Inputs(9, 3, seed: 22);
        var expected = Gram(ToMatrix(x1), ToMatrix(x2), reference);
        var actual = ToMatrix(kernel.Matrix(x1, x2));
        Assert.True(MaxAbsDiff(actual, expected) <= 1e-12 * Math.Max(1, MaxAbs(expected)), $"{name}: max difference {MaxAbsDiff(actual, expected):g3}");
        var self = ToMatrix(kernel.Matrix(x1, x1));
        var expectedSelf = Gram(ToMatrix(x1), ToMatrix(x1), reference);
        Assert.True(MaxAbsDiff(self, expectedSelf) <= 1e-10 * Math.Max(1, MaxAbs(expectedSelf)), $"{name}: k(x, x) differs by {MaxAbsDiff(self, expectedSelf):g3}");
    }

    [Fact]
    public void RationalQuadraticTendsToSquaredExponentialAsAlphaGrows()
    {
        using var scope = NewDisposeScope();
        using var rq = new RationalQuadraticKernel(1e7, 0.9);
        using var se = new SquaredExponentialKernel(0.9);
        var x = Inputs(20, 2, seed: 3);
        Assert.True(MaxAbsDiff(ToMatrix(rq.Matrix(x, x)), ToMatrix(se.Matrix(x, x))) < 1e-6);
    }

    [Fact]
    public void MaternHalfAtEqualInputsIsOneAndHasFiniteGradients()
    {
        using var scope = NewDisposeScope();
        using var kernel = new MaternKernel(MaternSmoothness.Half, 0.5, 2.0);
        var x = Inputs(6, 2, seed: 4);
        var k = kernel.Matrix(x, x);
        Assert.Equal(6.0, k.diagonal().sum().item<double>(), 12);
        k.sum().backward();
        var grad = kernel.Lengthscale.Raw.grad!;
        Assert.True(grad.isfinite().all().item<bool>());
    }

    [Fact]
    public void CompositeListsSharedHyperparametersOnceAndOwnsItsParts()
    {
        var se = new SquaredExponentialKernel(1.0);
        using var sum = new ScaleKernel(se, 2.0) * se;
        Assert.Equal(2, sum.Hyperparameters.Count);
        Assert.Equal(2, sum.Parameters.Count);
        Assert.All(sum.Parameters, p => Assert.True(p.requires_grad));
        Assert.Equal(2.0, ((ScaleKernel)((ProductKernel)sum).Left).Outputscale.Scalar, 12);
        sum.Dispose();
        Assert.Throws<ObjectDisposedException>(() => se.Matrix(zeros(1, 1, dtype: ScalarType.Float64), zeros(1, 1, dtype: ScalarType.Float64)));
    }

    [Fact]
    public void KernelMatrixLeavesNoTensorsBehind()
    {
        using var kernel = new ScaleKernel(new MaternKernel(MaternSmoothness.FiveHalves, 1.0, 2.0)) + new NtkKernel(2, NetworkActivation.Relu);
        using var x = Inputs(10, 2, seed: 5);
        using (kernel.Matrix(x, x)) { }
        long before = LiveTensors.Count;
        using (kernel.Matrix(x, x)) { }
        using (kernel.Diagonal(x)) { }
        Assert.Equal(before, LiveTensors.Count);
    }

    private static double R(double[] a, double[] b, double[] lengthscales) => Math.Sqrt(ScaledSquaredDistance(a, b, lengthscales));

    private static double Dot(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum();
}
