using Occam.Core;
using Occam.Geometry;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Geometry;

/// <summary>Hessian- and GGN-vector operators against the dense autograd Hessian and the explicit Jacobian GGN (float64 networks).</summary>
public sealed class CurvatureOperatorTests
{
    private static nn.Module<Tensor, Tensor> SmallNet(long seed, long outputs = 2)
    {
        using var _ = new RandomSeed(seed);
        var net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, outputs));
        net.to(ScalarType.Float64);
        return net;
    }

    private static (Tensor X, Tensor Y) Data(long n, long outputs = 2, ulong seed = 3)
    {
        using var g = new Generator(seed);
        var x = randn(new long[] { n, 3 }, ScalarType.Float64, generator: g);
        var y = randn(new long[] { n, outputs }, ScalarType.Float64, generator: g);
        return (x, y);
    }

    /// <summary>∇²L [P, P] row by row: the gradient of each entry of the (graph-carrying) gradient.</summary>
    private static Tensor DenseHessian(nn.Module<Tensor, Tensor> net, Func<Tensor> loss)
    {
        var parameters = WeightSpace.Of(net).Parameters.ToArray<Tensor>();
        var value = loss();
        var grads = autograd.grad([value], parameters, retain_graph: true, create_graph: true);
        var g = cat(grads.Select(t => t.reshape(-1)).ToArray());
        var rows = new List<Tensor>();
        for (long i = 0; i < g.shape[0]; i++)
            rows.Add(cat(autograd.grad([g[i]], parameters, retain_graph: true, allow_unused: true).Select((t, k) => t is null || t.Handle == IntPtr.Zero ? zeros(parameters[k].numel(), ScalarType.Float64) : t.reshape(-1)).ToArray()));
        return stack(rows);
    }

    [Theory]
    [InlineData(40, 512)] // one batch: the full data
    [InlineData(40, 7)]   // six batches summed
    public void Hessian_EqualsTheDenseAutogradHessian(int n, int batch)
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(1);
        using var likelihood = new GaussianLikelihood(0.7, learnNoise: false);
        var (x, y) = Data(n);
        var op = CurvatureOperator.Hessian(net, likelihood, x, y, batch);
        var dense = DenseHessian(net, () => likelihood.NegativeLogLikelihood(net.call(x), y).sum());
        var fromProducts = op.ToDense();
        Assert.Equal(WeightSpace.Of(net).Count, op.Size);
        Assert.True(fromProducts.allclose(dense, 1e-8, 1e-9), $"max |ΔH| = {(fromProducts - dense).abs().max().item<double>():g3}");
        Assert.True(linalg.eigvalsh(dense).min().item<double>() < 0, "the test wants a Hessian with negative curvature somewhere");
    }

    [Fact]
    public void Hessian_OfABatch_IsTheBatchesPart()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(2);
        using var likelihood = new CategoricalLikelihood();
        using var g = new Generator(5);
        var x = randn(new long[] { 30, 3 }, ScalarType.Float64, generator: g);
        var y = randint(0, 2, new long[] { 30 }, ScalarType.Int64, generator: g);
        var all = CurvatureOperator.Hessian(net, likelihood, x, y).ToDense();
        var first = CurvatureOperator.Hessian(net, likelihood, x.narrow(0, 0, 12), y.narrow(0, 0, 12)).ToDense();
        var rest = CurvatureOperator.Hessian(net, likelihood, x.narrow(0, 12, 18), y.narrow(0, 12, 18)).ToDense();
        Assert.True((first + rest).allclose(all, 1e-8, 1e-10));
        var dense = DenseHessian(net, () => likelihood.NegativeLogLikelihood(net.call(x.narrow(0, 0, 12)), y.narrow(0, 0, 12)).sum());
        Assert.True(first.allclose(dense, 1e-8, 1e-10));
    }

    [Fact]
    public void Ggn_EqualsJTransposeLambdaJ_FromExplicitJacobians()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(3);
        using var likelihood = new GaussianLikelihood(0.5, learnNoise: false);
        var (x, _) = Data(25);
        var y = zeros(25, 2, ScalarType.Float64);
        var space = WeightSpace.Of(net);
        var f = net.call(x);
        var rows = new List<Tensor>();
        for (long n = 0; n < 25; n++)
            for (long o = 0; o < 2; o++)
                rows.Add(cat(autograd.grad([f[n, o]], space.Parameters.ToArray<Tensor>(), retain_graph: true).Select(t => t.reshape(-1)).ToArray()));
        var j = stack(rows); // [N·O, P]
        var expected = j.T.matmul(j) / (0.5 * 0.5);
        var ggn = CurvatureOperator.Ggn(net, likelihood, x, y, batchSize: 10).ToDense();
        Assert.True(ggn.allclose(expected, 1e-8, 1e-9), $"max |ΔG| = {(ggn - expected).abs().max().item<double>():g3}");
    }

    [Fact]
    public void Ggn_OfALinearModel_IsXTransposeXOverSigmaSquared_AndEqualsItsHessian()
    {
        using var scope = NewDisposeScope();
        using var _ = new RandomSeed(4);
        var net = nn.Linear(3, 1, hasBias: false);
        net.to(ScalarType.Float64);
        using var likelihood = new GaussianLikelihood(0.3, learnNoise: false);
        var (x, y) = Data(50, 1);
        var expected = x.T.matmul(x) / 0.09;
        Assert.True(CurvatureOperator.Ggn(net, likelihood, x, y).ToDense().allclose(expected, 1e-6, 0)); // Λ = 1/σ² from the likelihood's float32 log σ
        Assert.True(CurvatureOperator.Hessian(net, likelihood, x, y).ToDense().allclose(expected, 1e-9, 1e-9));
    }

    [Fact]
    public void NonFiniteWeightsOrMatrices_AreOneClearError()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(5);
        using var likelihood = new GaussianLikelihood(1.0, learnNoise: false);
        var (x, y) = Data(10);
        var space = WeightSpace.Of(net);
        var theta = space.Get();
        theta[3] = double.NaN;
        space.Set(theta);
        var op = CurvatureOperator.Ggn(net, likelihood, x, y);
        var e = Assert.Throws<NonFiniteCurvatureException>(() => op.Multiply(ones(op.Size, ScalarType.Float64)));
        Assert.Contains("GGN", e.Message);
        Assert.Contains("not finite", e.Message);
        var bad = eye(3, dtype: ScalarType.Float64);
        bad[1, 1] = double.PositiveInfinity;
        Assert.Throws<NonFiniteCurvatureException>(() => CurvatureOperator.FromMatrix(bad));
        Assert.Throws<ArgumentException>(() => CurvatureOperator.FromMatrix(tensor(new double[,] { { 1, 2 }, { 0, 1 } })));
        Assert.Throws<ArgumentException>(() => op.Multiply(ones(op.Size + 1, ScalarType.Float64)));
    }
}
