using Occam.Inference.Laplace;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

/// <summary>Reference quantities for LeNet5 from plain autograd, independent of the Laplace weight stacks.</summary>
internal static class LeNetJacobian
{
    /// <summary>A float64 LeNet5 with the given outputs.</summary>
    public static LeNet5 Network(int outputs, long seed)
    {
        var net = new LeNet5(outputs, seed: seed);
        net.to(ScalarType.Float64);
        net.eval();
        return net;
    }

    /// <summary>Images [N, 1, 28, 28] float64 with some structure, exactly representable in float32 (datasets hold float32).</summary>
    public static Tensor Images(int n, long seed)
    {
        var g = new Generator((ulong)seed);
        return (randn(new long[] { n, 1, 28, 28 }, ScalarType.Float64, generator: g) * 0.5
            + linspace(-1, 1, 28, ScalarType.Float64).view(1, 1, 1, 28)).to_type(ScalarType.Float32).to_type(ScalarType.Float64).contiguous();
    }

    /// <summary>∂f[n, o]/∂θ [N, O, P] by N·O backward passes, each parameter gradient reordered into the stack's θ layout.</summary>
    public static Tensor Autograd(LeNet5 net, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (convs, linears) = net.Layers;
        var parameters = convs.Select(c => (c.weight!, c.bias!)).Concat(linears.Select(f => (f.weight!, f.bias!))).ToArray();
        long n = x.shape[0];
        var rows = new List<Tensor>();
        for (long i = 0; i < n; i++)
        {
            var f = net.forward(x.narrow(0, i, 1));
            for (long o = 0; o < f.shape[1]; o++)
            {
                var grads = autograd.grad([f[0, o]], parameters.SelectMany(p => new Tensor[] { p.Item1, p.Item2 }).ToArray(), retain_graph: true);
                rows.Add(cat(Enumerable.Range(0, parameters.Length).Select(l => ConvStack.Block(grads[2 * l], grads[2 * l + 1]).reshape(-1)).ToArray()));
            }
        }
        return stack(rows).view(n, -1, rows[0].shape[0]).MoveToOuterDisposeScope();
    }

    /// <summary>The categorical output Hessian Λ = diag(p) − ppᵀ [N, O, O] at logits f.</summary>
    public static Tensor CategoricalHessian(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var p = logits.softmax(1);
        return (diag_embed(p) - p.unsqueeze(2) * p.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>max |expected − actual| ≤ tolerance·max|expected| + 1e-12.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        double size = expected.to_type(ScalarType.Float64).abs().max().item<double>();
        Assert.True(error <= tolerance * size + 1e-12, $"{what}: max abs error {error:E2} (scale {size:E2})");
    }
}
