using Occam.Core;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Models;

public sealed class LeNet5Tests
{
    private static Tensor Images(int n, long seed)
    {
        using var random = new Generator((ulong)seed);
        return rand(new long[] { n, 1, 28, 28 }, generator: random);
    }

    [Fact]
    public void ForwardAt_MatchesTheModuleAtThoseWeights()
    {
        using var net = new LeNet5(10, seed: 1);
        using var other = new LeNet5(10, seed: 2);
        using var x = Images(3, 0);
        using var thetas = stack([WeightSpace.Of(net).Get(), WeightSpace.Of(other).Get()]);
        using var stacked = net.ForwardAt(thetas, x);
        using var mine = net.call(x);
        using var theirs = other.call(x);
        Assert.Equal(new long[] { 2, 3, 10 }, stacked.shape);
        Assert.True(stacked[0].allclose(mine, 1e-5, 1e-6));
        Assert.True(stacked[1].allclose(theirs, 1e-5, 1e-6));
    }

    [Fact]
    public void ForwardRepeated_WithoutDropout_RepeatsTheForward()
    {
        using var net = new LeNet5(10, dropout: 0.3, seed: 1);
        net.eval();
        using var x = Images(4, 1);
        using var repeated = net.ForwardRepeated(x, 3);
        using var once = net.call(x);
        Assert.Equal(new long[] { 3, 4, 10 }, repeated.shape);
        for (int s = 0; s < 3; s++) Assert.True(repeated[s].allclose(once, 1e-5, 1e-6));
    }

    [Fact]
    public void ForwardRepeated_WithDropout_UsesOneMaskPerPassForAllInputs()
    {
        using var net = new LeNet5(10, dropout: 0.5, seed: 1) { StochasticDropout = true };
        using var one = Images(1, 2);
        using var x = cat([one, one, Images(1, 3)], 0);
        using var passes = net.ForwardRepeated(x, 6);
        Assert.True(passes.select(1, 0).allclose(passes.select(1, 1))); // the same image gets the same function in every pass
        Assert.False(passes[0].allclose(passes[1]));                     // passes differ
    }
}
