using Occam.Core;
using Occam.Models;
using static TorchSharp.torch;

namespace Occam.Tests.Models;

public sealed class MlpTests
{
    [Fact]
    public void StackedForward_EqualsEachMemberRunAlone()
    {
        using var stacked = new Mlp(3, [7, 5], 2, Activation.Tanh, members: 4, seed: 11);
        using var x = randn(6, 3);
        using var all = stacked.forward(x);
        Assert.Equal(new long[] { 4, 6, 2 }, all.shape);
        for (int k = 0; k < 4; k++)
        {
            using var single = new Mlp(3, [7, 5], 2, Activation.Tanh, members: 1, seed: 0);
            using (no_grad()) single.Weights.copy_(stacked.Weights[k].unsqueeze(0));
            using var one = single.forward(x);
            Assert.True(one.allclose(all[k], 1e-5, 1e-6), $"member {k} differs");
        }
    }

    [Fact]
    public void LinearModel_IsXWPlusB_WithDocumentedLayout()
    {
        using var net = new Mlp(2, [], 1, seed: 1);
        // Layout: W [in, out] row-major then b [out].
        using (no_grad()) net.Weights.copy_(tensor(new float[] { 2, -3, 0.5f }).view(1, 3));
        using var y = net.forward(tensor(new float[] { 1, 1, 4, 2 }).view(2, 2));
        Assert.Equal(new[] { -0.5f, 2.5f }, y.reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void Initialisation_IsSeededAndWithinPyTorchBounds()
    {
        using var a = new Mlp(4, [8], 1, seed: 5);
        using var b = new Mlp(4, [8], 1, seed: 5);
        using var c = new Mlp(4, [8], 1, seed: 6);
        Assert.True(a.Weights.allclose(b.Weights, 0, 0));
        Assert.False(a.Weights.allclose(c.Weights, 0, 0));
        Assert.True(a.Weights.abs().max().item<float>() <= 0.5f + 1e-6f); // 1/√fan_in with fan_in = 4
        Assert.Equal(4 * 8 + 8 + 8 * 1 + 1, a.ParameterCount);
    }

    [Fact]
    public void Forward_RejectsWrongInputWidth()
    {
        using var net = new Mlp(3, [4], 1);
        Assert.Throws<ArgumentException>(() => net.forward(zeros(2, 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp(3, [4], 1, dropout: 1.0));
    }
}
