using Occam.Models;
using Occam.Randomness;
using static TorchSharp.torch;
using Occam.Core;

namespace Occam.Tests.Randomness;

public sealed class StandardNormalTests
{
    [Fact]
    public void Like_IsReproducibleFromTheGlobalSeed_AndStandardNormal()
    {
        using var scope = NewDisposeScope();
        var like = zeros(400, 250);
        Tensor first, second, third;
        using (new RandomSeed(4)) first = StandardNormal.Like(like);
        using (new RandomSeed(4)) second = StandardNormal.Like(like);
        using (new RandomSeed(5)) third = StandardNormal.Like(like);
        Assert.Equal(like.shape, first.shape);
        Assert.Equal(ScalarType.Float32, first.dtype);
        Assert.True(first.equal(second).all().item<bool>(), "the same global seed must give the same draws");
        Assert.False(first.equal(third).all().item<bool>(), "another seed must give other draws");
        double mean = first.mean().item<float>(), sd = first.std().item<float>();
        Assert.InRange(mean, -0.01, 0.01); // 100,000 draws: standard error 0.0032
        Assert.InRange(sd, 0.99, 1.01);    // standard error of the sd 0.0022
    }

    [Fact]
    public void Like_Float64_FallsBackToLibtorch()
    {
        using var scope = NewDisposeScope();
        var draws = StandardNormal.Like(zeros(1000, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, draws.dtype);
        Assert.InRange(draws.std().item<double>(), 0.9, 1.1);
    }
}
