using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Tests.Data;

public sealed class RotationsTests
{
    private static Tensor RandomImages(long n, long h, long w)
    {
        using var rng = new Generator(1234);
        return rand(new[] { n, 1, h, w }, generator: rng);
    }

    [Fact]
    public void Rotate_ZeroDegrees_IsIdentity()
    {
        using var images = RandomImages(3, 28, 28);
        using var rotated = Rotations.Rotate(images, 0);
        Assert.True(rotated.allclose(images, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Rotate_Ninety_MatchesRot90CounterClockwise(long size)
    {
        using var images = RandomImages(2, size, size);
        using var rotated = Rotations.Rotate(images, 90);
        using var expected = images.rot90(1, (2, 3));
        Assert.True(rotated.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Rotate_NinetyFourTimes_ReturnsTheImage()
    {
        using var images = RandomImages(2, 28, 28);
        var current = images.clone();
        for (var k = 0; k < 4; k++)
        {
            var next = Rotations.Rotate(current, 90);
            current.Dispose();
            current = next;
        }
        using (current) Assert.True(current.allclose(images, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Rotate_Ninety_MovesTopRightPixelToTopLeft()
    {
        using var scope = NewDisposeScope();
        using var image = zeros(1, 1, 3, 3);
        image[0, 0, 0, 2] = tensor(1f);  // top-right
        image[0, 0, 1, 2] = tensor(0.5f); // middle-right
        using var rotated = Rotations.Rotate(image, 90);
        var expected = new float[] { 1, 0.5f, 0, 0, 0, 0, 0, 0, 0 }; // top-left, top-middle
        var actual = rotated.data<float>().ToArray();
        for (var i = 0; i < 9; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void Rotate_NonSquareImage_KeepsPixelsSquare()
    {
        using var scope = NewDisposeScope();
        // A 4x6 image turned by 90°: its central 4x4 block turns like rot90; the side columns receive
        // pixels from outside the image (zeros).
        using var images = RandomImages(1, 4, 6);
        images[.., .., .., 0] = tensor(0f);
        images[.., .., .., 5] = tensor(0f);
        using var rotated = Rotations.Rotate(images, 90);
        using var block = images[.., .., .., 1..5];
        using var expected = block.rot90(1, (2, 3));
        Assert.True(rotated[.., .., .., 1..5].allclose(expected, rtol: 0, atol: 1e-5));
        Assert.Equal(0f, rotated[.., .., .., 0].abs().max().item<float>(), 1e-6f);
        Assert.Equal(0f, rotated[.., .., .., 5].abs().max().item<float>(), 1e-6f);
    }

    [Fact]
    public void Rotate_Dataset_RotatesInputsAndKeepsLabels()
    {
        using var data = new Dataset(RandomImages(4, 5, 5), tensor(new long[] { 0, 1, 2, 1 }), TaskKind.Classification, 3, "digits");
        using var rotated = Rotations.Rotate(data, 90);
        using var expected = data.Inputs.rot90(1, (2, 3));
        Assert.True(rotated.Inputs.allclose(expected, rtol: 0, atol: 1e-5));
        Assert.Equal(new long[] { 0, 1, 2, 1 }, rotated.Targets.data<long>().ToArray());
        Assert.Equal(3, rotated.ClassCount);
        Assert.Equal("digits-rot90", rotated.Name);
    }

    [Fact]
    public void Rotate_LeavesOnlyItsResultAlive()
    {
        using var images = RandomImages(2, 5, 5);
        var before = LiveTensors.Count;
        using (Rotations.Rotate(images, 30))
            Assert.Equal(before + 1, LiveTensors.Count);
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void Rotate_NotFourDimensional_Throws()
    {
        using var images = zeros(5, 5);
        var e = Assert.Throws<ArgumentException>(() => Rotations.Rotate(images, 10));
        Assert.Equal("images", e.ParamName);
    }
}
