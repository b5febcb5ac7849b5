using Occam.Data;
using Occam.Inference.Laplace;
using Occam.Likelihoods;
using TorchSharp;
using static Occam.Tests.Inference.Laplace.LeNetJacobian;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

public sealed class ConvStackTests
{
    [Fact]
    public void Theta_RunThroughTheStack_ReproducesLeNet5_AndWritesBackIntoItsLayout()
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 1);
        using var stack = ConvStack.FromLeNet(net);
        Assert.Equal(new long[] { 26 * 6, 151 * 16, 401 * 120, 121 * 84, 85 * 10 }, stack.LayerSizes);
        Assert.Equal(61706, stack.ParameterCount);
        var x = Images(3, seed: 2);
        var expected = net.forward(x).detach();
        var features = stack.Features(x);
        AssertClose(expected, stack.Forward(features, stack.Theta().unsqueeze(0))[0], 1e-12, "Forward(θ*)");
        AssertClose(expected, stack.Factors(features).Outputs, 1e-12, "Factors outputs");
        // The other direction: a perturbed θ written into a LeNet5 gives the same function as the stack at that θ.
        var theta = stack.Theta() + 0.05 * randn(stack.ParameterCount, ScalarType.Float64, generator: new Generator(3));
        using var copy = Network(10, seed: 9);
        stack.WriteTo(copy, theta);
        AssertClose(copy.forward(x).detach(), stack.Forward(features, theta.unsqueeze(0))[0], 1e-12, "WriteTo(θ)");
        using var rebuilt = ConvStack.FromLeNet(copy);
        AssertClose(theta, rebuilt.Theta(), 0, "θ round trip");
    }

    [Fact]
    public void Jacobian_AndItsProducts_EqualTheAutogradJacobianOfLeNet5()
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 4);
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(3, seed: 5);
        var (_, layers) = stack.Factors(stack.Features(x));
        Assert.Equal(new long[] { 3, 1, 32, 32 }, layers[0].Input.shape); // the zero-padded image
        Assert.Equal(new long[] { 3, 10, 6, 28, 28 }, layers[0].Gradient!.shape);
        Assert.Equal(new long[] { 3, 10, 16, 10, 10 }, layers[1].Gradient!.shape);
        var j = Autograd(net, x); // [N, O, P]
        AssertClose(j, WeightStack.Jacobian(layers, 10), 1e-8, "J");
        // The products that never form J: J·v and Jᵀu.
        var v = randn(stack.ParameterCount, ScalarType.Float64, generator: new Generator(16));
        var u = randn(new long[] { 3, 10 }, ScalarType.Float64, generator: new Generator(17));
        AssertClose(j.matmul(v), FactorAlgebra.JacobianVectorProduct(layers, 10, v), 1e-8, "J v");
        AssertClose(j.reshape(30, -1).t().matmul(u.reshape(30)), FactorAlgebra.TransposedProduct(layers, 10, u), 1e-8, "Jᵀu");
    }

    /// <summary>
    /// Pooling windows whose maxima tie while their patches differ: conv1 keeps only its centre tap and
    /// the image's columns come in equal pairs aligned with the 2×2 windows, so the two columns of a
    /// window give the same output from different neighbourhoods. The factors pool before the ReLU and
    /// must still route each window's gradient to the maximum autograd's max-pool picks (the first).
    /// </summary>
    [Fact]
    public void Jacobian_WithTiedMaxima_RoutesEachWindowLikeAutograd()
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 10);
        var (convs, _) = net.Layers;
        using (no_grad())
        {
            var centre = zeros_like(convs[0].weight!);
            centre[.., .., 2, 2] = convs[0].weight![.., .., 2, 2] * 5;
            convs[0].weight!.copy_(centre);
        }
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(2, seed: 11);
        var pairs = x.view(2, 1, 28, 14, 2);
        pairs[.., .., .., .., 1] = pairs[.., .., .., .., 0]; // columns 2m and 2m + 1 equal
        var z = convs[0].forward(x).detach();
        var windows = z.unfold(2, 2, 2).unfold(3, 2, 2).reshape(2, 6, 14, 14, 4);
        var maxima = windows.amax(new long[] { 4 });
        Assert.True(((windows == maxima.unsqueeze(4)).sum(4) > 1).logical_and(maxima > 0).sum().item<long>() > 100, "the test needs tied positive maxima");
        var (_, layers) = stack.Factors(stack.Features(x));
        AssertClose(Autograd(net, x), WeightStack.Jacobian(layers, 10), 1e-8, "J with ties");
    }

    [Theory]
    [InlineData(CurvatureKind.Ggn)]
    [InlineData(CurvatureKind.EmpiricalFisher)]
    public void Diagonal_EqualsDiagonalOfAutogradCurvature(CurvatureKind kind)
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 6);
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(4, seed: 7);
        var y = tensor(new long[] { 0, 3, 3, 9 });
        using var data = new Dataset(x.to_type(ScalarType.Float32), y, TaskKind.Classification, 10);
        var options = new LaplaceOptions { Curvature = kind, BatchSize = 3 }; // two batches
        using var curvature = (DiagonalCurvature)new CurvatureBuilder(stack, new CategoricalLikelihood(), options, null).Build(data, HessianStructure.Diagonal);
        var j = Autograd(net, x);
        var f = net.forward(x).detach();
        Tensor expected;
        if (kind == CurvatureKind.Ggn) expected = (j * CategoricalHessian(f).bmm(j)).sum(new long[] { 0, 1 });
        else expected = j.transpose(1, 2).bmm((f.softmax(1) - nn.functional.one_hot(y, 10).to_type(ScalarType.Float64)).unsqueeze(2)).squeeze(2).square().sum(0L);
        AssertClose(expected, curvature.Diagonal, 1e-8, $"diag {kind}");
    }

    [Fact]
    public void Kfac_ConvolutionFactorA_IsTheSumOfPatchOuterProducts()
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 8);
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(3, seed: 9);
        using var data = new Dataset(x.to_type(ScalarType.Float32), tensor(new long[] { 1, 2, 3 }), TaskKind.Classification, 10);
        using var kron = (KroneckerCurvature)new CurvatureBuilder(stack, new CategoricalLikelihood(), new LaplaceOptions(), null).Build(data, HessianStructure.Kron);
        var blocks = kron.Blocks();
        var (convs, _) = net.Layers;
        var second = nn.functional.max_pool2d(nn.functional.relu(convs[0].forward(x)), 2).detach();
        AssertClose(PatchOuterProducts(x, 5, 2), blocks[0].A, 1e-10, "A of conv1");
        AssertClose(PatchOuterProducts(second, 5, 0), blocks[1].A, 1e-10, "A of conv2");
        Assert.Equal(new long[] { 6, 6 }, blocks[0].B.shape);
        Assert.Equal(new long[] { 16, 16 }, blocks[1].B.shape);
    }

    [Theory]
    [InlineData(CurvatureKind.Ggn)]
    [InlineData(CurvatureKind.EmpiricalFisher)]
    public void Kfac_ConvolutionFactorB_IsTheExpandedAverageOverExamplesAndPositions(CurvatureKind kind)
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 18);
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(3, seed: 19);
        var y = tensor(new long[] { 4, 0, 7 });
        using var data = new Dataset(x.to_type(ScalarType.Float32), y, TaskKind.Classification, 10);
        using var kron = (KroneckerCurvature)new CurvatureBuilder(stack, new CategoricalLikelihood(), new LaplaceOptions { Curvature = kind }, null).Build(data, HessianStructure.Kron);
        var blocks = kron.Blocks();
        var (f, gz) = FirstConvolutionJacobian(net, x);
        var g = gz.reshape(3, 10, 6, 784).transpose(2, 3); // [N, O, T, C]
        Tensor expected;
        if (kind == CurvatureKind.Ggn)
        {
            var weighted = CategoricalHessian(f.detach()).bmm(g.reshape(3, 10, -1)).view(g.shape);
            expected = g.reshape(-1, 6).t().matmul(weighted.reshape(-1, 6));
        }
        else
        {
            var r = f.detach().softmax(1) - nn.functional.one_hot(y, 10).to_type(ScalarType.Float64);
            var gr = (g * r.view(3, 10, 1, 1)).sum(1).reshape(-1, 6);
            expected = gr.t().matmul(gr);
        }
        AssertClose(expected / (3 * 784), blocks[0].B, 1e-9, $"B of conv1 ({kind})");
    }

    /// <summary>
    /// KFAC-reduce: a convolution's A is Σₙ āₙāₙᵀ over mean patches, B = Σₙ ĝₙᵀΛĝₙ / N with ĝ = Σₜ Gₜ
    /// (by autograd); the linear layers' factors are those of KFAC-expand.
    /// </summary>
    [Fact]
    public void KfacReduce_ConvolutionFactors_AreTheMeanPatchAndThePositionSummedJacobian()
    {
        using var scope = NewDisposeScope();
        using var net = Network(10, seed: 28);
        using var stack = ConvStack.FromLeNet(net);
        var x = Images(3, seed: 29);
        using var data = new Dataset(x.to_type(ScalarType.Float32), tensor(new long[] { 4, 0, 7 }), TaskKind.Classification, 10);
        var builder = (KfacConvolution variant) => new CurvatureBuilder(stack, new CategoricalLikelihood(), new LaplaceOptions { KfacConvolution = variant }, null);
        using var reduce = (KroneckerCurvature)builder(KfacConvolution.Reduce).Build(data, HessianStructure.Kron);
        using var expand = (KroneckerCurvature)builder(KfacConvolution.Expand).Build(data, HessianStructure.Kron);
        var blocks = reduce.Blocks();
        var mean = Patches(x, 5, 2).mean(new long[] { 1 }); // [N, a]
        AssertClose(mean.t().matmul(mean), blocks[0].A, 1e-10, "A of conv1");
        var (f, gz) = FirstConvolutionJacobian(net, x);
        var g = gz.sum(new long[] { 3, 4 }); // ĝ [N, O, 6]
        var expectedB = g.transpose(1, 2).bmm(CategoricalHessian(f.detach())).bmm(g).sum(0L) / 3;
        AssertClose(expectedB, blocks[0].B, 1e-9, "B of conv1");
        var expanded = expand.Blocks();
        for (int l = 2; l < blocks.Count; l++)
        {
            AssertClose(expanded[l].A, blocks[l].A, 1e-12, $"A of linear layer {l}");
            AssertClose(expanded[l].B, blocks[l].B, 1e-12, $"B of linear layer {l}");
        }
    }

    /// <summary>
    /// By autograd: the outputs f [N, 10] and ∂f[n, o]/∂z[n, c, i, j] [N, 10, 6, 28, 28] for the first
    /// convolution's pre-activation z.
    /// </summary>
    private static (Tensor Outputs, Tensor Jacobian) FirstConvolutionJacobian(Occam.Models.LeNet5 net, Tensor x)
    {
        var (convs, linears) = net.Layers;
        var z = convs[0].forward(x);
        var h = nn.functional.max_pool2d(nn.functional.relu(convs[1].forward(nn.functional.max_pool2d(nn.functional.relu(z), 2))), 2).flatten(1);
        var f = linears[2].forward(nn.functional.relu(linears[1].forward(nn.functional.relu(linears[0].forward(h)))));
        var jacobian = torch.stack(Enumerable.Range(0, 10).Select(o => autograd.grad([f[.., o].sum()], [z], retain_graph: true)[0]).ToArray(), 1);
        return (f, jacobian);
    }

    /// <summary>Σ_{n,t} ã ãᵀ over the patches of <see cref="Patches"/>.</summary>
    private static Tensor PatchOuterProducts(Tensor images, int k, int padding)
    {
        var patches = Patches(images, k, padding).reshape(-1, images.shape[1] * k * k + 1); // [N·T, a]
        return patches.t().matmul(patches);
    }

    /// <summary>The patches ã [N, T, a] cut by slicing a zero-padded image (channel-major, then kernel row, column; then a 1).</summary>
    internal static Tensor Patches(Tensor images, int k, int padding)
    {
        var padded = nn.functional.pad(images, new long[] { padding, padding, padding, padding });
        long n = images.shape[0], c = images.shape[1], h = padded.shape[2] - k + 1, w = padded.shape[3] - k + 1;
        var taps = new List<Tensor>();
        for (long ch = 0; ch < c; ch++)
            for (long u = 0; u < k; u++)
                for (long v = 0; v < k; v++)
                    taps.Add(padded[.., ch].narrow(1, u, h).narrow(2, v, w).reshape(n, h * w));
        taps.Add(ones(n, h * w, ScalarType.Float64));
        return stack(taps, 2);
    }
}
