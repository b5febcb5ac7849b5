using Occam.Core;
using Occam.Likelihoods;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Core;

/// <summary>WeightSpace against explicit per-output autograd Jacobians and central finite differences (float64).</summary>
public sealed class WeightSpaceTests
{
    private static nn.Module<Tensor, Tensor> SmallNet(long seed)
    {
        using var _ = new RandomSeed(seed);
        var net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2));
        net.to(ScalarType.Float64);
        return net;
    }

    /// <summary>J [N·O, P] row by row: one autograd gradient per output entry.</summary>
    private static Tensor ExplicitJacobian(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        var space = WeightSpace.Of(net);
        var f = net.call(x);
        var rows = new List<Tensor>();
        for (long n = 0; n < f.shape[0]; n++)
            for (long o = 0; o < f.shape[1]; o++)
            {
                var g = torch.autograd.grad([f[n, o]], space.Parameters.ToArray<Tensor>(), retain_graph: true);
                rows.Add(cat(g.Select(t => t.reshape(-1)).ToArray()));
            }
        return stack(rows);
    }

    [Fact]
    public void GetSet_RoundTrip_AndAtRestoresAfterAnException()
    {
        using var net = SmallNet(1);
        var space = WeightSpace.Of(net);
        using var original = space.Get();
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, space.Count);
        using var other = randn(space.Count, ScalarType.Float64);
        void SwapAndThrow()
        {
            using var swap = space.At(other);
            using var now = space.Get();
            Assert.True(now.allclose(other, 0, 0));
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(SwapAndThrow);
        using var after = space.Get();
        Assert.True(after.allclose(original, 0, 0));
        Assert.Throws<ArgumentException>(() => space.Set(zeros(3, ScalarType.Float64)));
    }

    [Fact]
    public void Get_OfAOneParameterMlp_IsACopy()
    {
        using var net = new Mlp(2, [3], 1, seed: 1);
        var space = WeightSpace.Of(net);
        using var original = space.Get();
        using var snapshot = original.clone();
        original.add_(1); // must not write through to the network
        using var now = space.Get();
        Assert.True(now.allclose(snapshot, 0, 0));
    }

    [Fact]
    public void ForwardMany_BatchedMlp_EqualsOnePassPerWeightVector()
    {
        using var net = new Mlp(3, [5], 2, seed: 2);
        var space = WeightSpace.Of(net);
        using var thetas = randn(4, space.Count);
        using var x = randn(6, 3);
        using var batched = space.ForwardMany(thetas, x);
        Assert.Equal(new long[] { 4, 6, 2 }, batched.shape);
        using var before = space.Get();
        for (int s = 0; s < 4; s++)
        {
            using var one = space.Forward(thetas[s], x);
            Assert.True(one.allclose(batched[s], 1e-5, 1e-6));
        }
        using var after = space.Get();
        Assert.True(after.allclose(before, 0, 0));
    }

    [Fact]
    public void ForwardMany_AnyModule_LoopsAndRestoresTheWeights()
    {
        using var net = SmallNet(3);
        var space = WeightSpace.Of(net);
        using var before = space.Get();
        using var thetas = randn(3, space.Count, ScalarType.Float64);
        using var x = randn(5, 3, ScalarType.Float64);
        using var outputs = space.ForwardMany(thetas, x);
        using var one = space.Forward(thetas[2], x);
        Assert.True(outputs[2].allclose(one, 0, 0));
        using var after = space.Get();
        Assert.True(after.allclose(before, 0, 0));
    }

    [Fact]
    public void JacobianVector_AndVectorJacobian_EqualTheExplicitJacobian()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(4);
        var space = WeightSpace.Of(net);
        var x = randn(5, 3, ScalarType.Float64);
        var j = ExplicitJacobian(net, x); // [10, P]
        var v = randn(space.Count, ScalarType.Float64);
        var u = randn(5, 2, ScalarType.Float64);
        Assert.True(space.JacobianVector(x, v).reshape(-1).allclose(j.matmul(v), 1e-10, 1e-12));
        Assert.True(space.VectorJacobian(x, u).allclose(j.t().matmul(u.reshape(-1)), 1e-10, 1e-12));
    }

    [Fact]
    public void GgnVector_EqualsJTransposeLambdaJ_ForGaussianAndCategorical()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(5);
        var space = WeightSpace.Of(net);
        var x = randn(4, 3, ScalarType.Float64);
        var j = ExplicitJacobian(net, x).view(4, 2, -1);
        var v = randn(space.Count, ScalarType.Float64);
        using var gaussian = new GaussianLikelihood(0.5, learnNoise: false);
        var expected = j.transpose(1, 2).matmul(j.matmul(v).unsqueeze(2)).sum(new long[] { 0 }).squeeze(1) / 0.25; // Λ = I/σ²
        Assert.True(space.GgnVector(x, gaussian, v).allclose(expected, 1e-9, 1e-10));
        using var categorical = new CategoricalLikelihood();
        var lambda = categorical.OutputHessian(net.call(x).detach());
        var expectedCategorical = j.transpose(1, 2).matmul(lambda.matmul(j.matmul(v).unsqueeze(2))).sum(new long[] { 0 }).squeeze(1);
        Assert.True(space.GgnVector(x, categorical, v).allclose(expectedCategorical, 1e-9, 1e-10));
    }

    [Fact]
    public void HessianVector_MatchesCentralFiniteDifferencesOfTheGradient()
    {
        using var scope = NewDisposeScope();
        var net = SmallNet(6);
        var space = WeightSpace.Of(net);
        var x = randn(8, 3, ScalarType.Float64);
        var y = randn(8, 2, ScalarType.Float64);
        Tensor Loss() => (net.call(x) - y).square().sum() + net.call(x).sin().sum(); // not quadratic in θ
        var v = randn(space.Count, ScalarType.Float64);
        var hv = space.HessianVector(Loss, v);
        var theta = space.Get();
        Tensor GradientAt(Tensor t)
        {
            space.Set(t);
            var g = torch.autograd.grad([Loss()], space.Parameters.ToArray<Tensor>());
            return cat(g.Select(p => p.reshape(-1)).ToArray());
        }
        const double h = 1e-5;
        var fd = (GradientAt(theta + h * v) - GradientAt(theta - h * v)) / (2 * h);
        space.Set(theta);
        Assert.True(hv.allclose(fd, 1e-6, 1e-7), $"max error {(hv - fd).abs().max().item<double>()}");
    }
}
