using System.Buffers.Binary;
using System.IO.Compression;
using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Tests.Data;

public sealed class IdxReaderTests
{
    private static string Mnist => Path.Combine(TestPaths.SharedData, "mnist");

    [Fact]
    public void LoadMnist_TrainWithLimit_HasShapesRangeAndKnownFirstLabels()
    {
        using var data = IdxReader.LoadMnist(Mnist, train: true, limit: 100);
        Assert.Equal("mnist-train", data.Name);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(new long[] { 100, 1, 28, 28 }, data.Inputs.shape);
        Assert.Equal(ScalarType.Float32, data.Inputs.dtype);
        Assert.Equal(new long[] { 100 }, data.Targets.shape);
        Assert.Equal(0f, data.Inputs.min().item<float>());
        Assert.Equal(1f, data.Inputs.max().item<float>());
        Assert.Equal(new long[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, data.Targets.data<long>().ToArray()[..10]);
    }

    [Fact]
    public void LoadMnist_Test_HasKnownFirstLabels()
    {
        using var data = IdxReader.LoadMnist(Mnist, train: false, limit: 5);
        Assert.Equal(new long[] { 7, 2, 1, 0, 4 }, data.Targets.data<long>().ToArray());
    }

    [Fact]
    public void LoadMnist_FirstImage_IsItsBytesOver255()
    {
        byte[] expected;
        using (var gz = new GZipStream(File.OpenRead(Path.Combine(Mnist, "train-images-idx3-ubyte.gz")), CompressionMode.Decompress))
        {
            var bytes = new byte[16 + 784];
            gz.ReadExactly(bytes);
            expected = bytes[16..];
        }
        using var data = IdxReader.LoadMnist(Mnist, train: true, limit: 1);
        var pixels = data.Inputs.data<float>().ToArray();
        Assert.Equal(expected.Select(b => b / 255f), pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadImages_SmallFile_PlainOrGzip_KeepsPixelOrderAndLabels(bool gzip)
    {
        var (images, labels) = WritePair(Images(3, 2, 3), Labels(3, 11, 0, 4), gzip);
        using var data = IdxReader.LoadImages(images, labels);
        Assert.Equal(new long[] { 3, 1, 2, 3 }, data.Inputs.shape);
        Assert.Equal(Enumerable.Range(0, 18).Select(i => (float)(i * 10 % 256) / 255f), data.Inputs.data<float>().ToArray());
        Assert.Equal(new long[] { 11, 0, 4 }, data.Targets.data<long>().ToArray());
        Assert.Equal(12, data.ClassCount); // largest label + 1, above the minimum of 10
        Assert.Equal(Path.GetFileName(images), data.Name);
    }

    [Fact]
    public void LoadImages_LimitAboveCount_ReadsEverything()
    {
        var (images, labels) = WritePair(Images(3, 2, 2), Labels(3, 1, 2, 3), gzip: false);
        using var data = IdxReader.LoadImages(images, labels, limit: 50);
        Assert.Equal(3, data.Count);
        Assert.Equal(10, data.ClassCount);
    }

    [Fact]
    public void LoadImages_WrongMagicNumber_NamesTheFile()
    {
        var (images, labels) = WritePair(Images(3, 2, 2), Labels(3, 1, 2, 3), gzip: true);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.LoadImages(labels, images));
        Assert.Equal(labels, e.File);
        Assert.Contains("magic number 0x00000801 is not 0x00000803", e.Problem);
    }

    [Fact]
    public void LoadImages_TruncatedImages_NamesTheFile()
    {
        var bytes = Images(3, 2, 2);
        var (images, labels) = WritePair(bytes[..^1], Labels(3, 1, 2, 3), gzip: true);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.LoadImages(images, labels));
        Assert.Equal(images, e.File);
        Assert.Contains("truncated", e.Problem);
        using var firstTwo = IdxReader.LoadImages(images, labels, limit: 2); // only the bytes needed are read
        Assert.Equal(2, firstTwo.Count);
    }

    [Fact]
    public void LoadImages_TruncatedHeader_NamesTheFile()
    {
        var (images, labels) = WritePair(Images(3, 2, 2)[..10], Labels(3, 1, 2, 3), gzip: false);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.LoadImages(images, labels));
        Assert.Equal(images, e.File);
        Assert.Contains("truncated", e.Problem);
    }

    [Fact]
    public void LoadImages_CountMismatch_NamesBothFiles()
    {
        var (images, labels) = WritePair(Images(3, 2, 2), Labels(2, 1, 2), gzip: false);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.LoadImages(images, labels));
        Assert.Equal(labels, e.File);
        Assert.Contains($"holds 2 labels but {Path.GetFileName(images)} holds 3 images", e.Problem);
    }

    [Fact]
    public void LoadImages_MissingFile_NamesTheFile()
    {
        var dir = TestPaths.NewTempDirectory();
        var e = Assert.Throws<DataFormatException>(() => IdxReader.LoadMnist(dir, train: false));
        Assert.Equal(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), e.File);
    }

    [Fact]
    public void LoadImages_ThenDispose_LeavesNoLiveTensor()
    {
        var (images, labels) = WritePair(Images(3, 2, 2), Labels(3, 1, 2, 3), gzip: false);
        var before = LiveTensors.Count;
        IdxReader.LoadImages(images, labels).Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>IDX images whose pixel i (over the whole file) is i * 10 mod 256.</summary>
    private static byte[] Images(int count, int rows, int cols)
    {
        var bytes = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (var i = 0; i < count * rows * cols; i++) bytes[16 + i] = (byte)(i * 10 % 256);
        return bytes;
    }

    private static byte[] Labels(int count, params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    private static (string Images, string Labels) WritePair(byte[] images, byte[] labels, bool gzip)
    {
        var dir = TestPaths.NewTempDirectory();
        string Put(string name, byte[] bytes)
        {
            var path = Path.Combine(dir, gzip ? name + ".gz" : name);
            using var file = File.Create(path);
            using Stream target = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
            target.Write(bytes);
            return path;
        }
        return (Put("images-idx3-ubyte", images), Put("labels-idx1-ubyte", labels));
    }
}
