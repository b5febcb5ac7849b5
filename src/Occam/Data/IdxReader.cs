using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Reads image/label pairs in the IDX format of MNIST (plain or gzip-compressed; gzip is recognised by
/// its magic bytes, whatever the file name).
/// </summary>
/// <remarks>
/// Images: magic 0x00000803 (unsigned bytes, 3 dimensions), then big-endian count, rows and columns,
/// then the pixels; they become float32 [N, 1, rows, cols] in [0, 1] (byte / 255). Labels: magic
/// 0x00000801, then the count, then one byte per label; they become int64 [N]. Only the bytes needed
/// are read, so a <c>limit</c> makes loading fast; bytes past the needed ones are not checked.
/// </remarks>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>The smallest class count a loaded dataset gets (MNIST-style digits).</summary>
    public const int MinimumClassCount = 10;

    /// <summary>Loads an images file and its labels file as a classification dataset.</summary>
    /// <param name="imagesPath">IDX images file (magic 0x00000803), optionally gzip-compressed.</param>
    /// <param name="labelsPath">IDX labels file (magic 0x00000801), optionally gzip-compressed.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> examples (all when null or larger than the file).</param>
    /// <param name="name">Dataset name; defaults to the images file name.</param>
    /// <returns>
    /// A dataset owned by the caller, with inputs float32 [N, 1, rows, cols] in [0, 1] and int64 labels [N].
    /// Its class count is the largest label read plus one, but at least <see cref="MinimumClassCount"/>
    /// (so a 100-image MNIST sample still has 10 classes).
    /// </returns>
    /// <exception cref="DataFormatException">A file is missing, has the wrong magic number, is truncated, or the counts differ.</exception>
    public static Dataset LoadImages(string imagesPath, string labelsPath, int? limit = null, string? name = null) =>
        LoadImages(imagesPath, labelsPath, limit, name, classes: null);

    private static Dataset LoadImages(string imagesPath, string labelsPath, int? limit, string? name, int? classes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        if (limit is not null) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit.Value, nameof(limit));

        var (imageDims, pixels) = Read(imagesPath, ImagesMagic, "images", limit);
        var (labelDims, labelBytes) = Read(labelsPath, LabelsMagic, "labels", limit);
        if (imageDims[0] != labelDims[0])
            throw new DataFormatException(labelsPath, null, null,
                $"holds {labelDims[0]} labels but {Path.GetFileName(imagesPath)} holds {imageDims[0]} images; expected one label per image");

        var count = labelBytes.Length;
        if (classes is { } c && Array.FindIndex(labelBytes, b => b >= c) is var bad && bad >= 0)
            throw new DataFormatException(labelsPath, null, null, $"label {bad} is {labelBytes[bad]}; expected digits 0..{c - 1}");
        var classCount = classes ?? Math.Max(MinimumClassCount, count == 0 ? 0 : labelBytes.Max() + 1);
        using var scope = NewDisposeScope();
        using var raw = tensor(pixels, new long[] { count, 1, imageDims[1], imageDims[2] });
        var images = raw.to(ScalarType.Float32).div_(255f);
        using var rawLabels = tensor(labelBytes, new long[] { count });
        var labels = rawLabels.to(ScalarType.Int64);
        return new Dataset(images, labels, TaskKind.Classification, classCount, name ?? Path.GetFileName(imagesPath));
    }

    /// <summary>Loads MNIST from a folder holding the four standard gzip files.</summary>
    /// <param name="directory">Folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.</param>
    /// <param name="train">True for the 60,000 training images, false for the 10,000 test images.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> examples (all when null).</param>
    /// <returns>A dataset named "mnist-train" or "mnist-test" with 10 classes, owned by the caller.</returns>
    /// <exception cref="DataFormatException">A file is missing or malformed, or a label is not a digit 0..9; the message names the file.</exception>
    public static Dataset LoadMnist(string directory, bool train, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var prefix = train ? "train" : "t10k";
        return LoadImages(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"),
            Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), limit, train ? "mnist-train" : "mnist-test", classes: MinimumClassCount);
    }

    /// <summary>Reads the header and the first min(count, limit) items; returns the header dimensions and the item bytes.</summary>
    private static (int[] Dims, byte[] Data) Read(string path, int expectedMagic, string what, int? limit)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
        using var stream = Open(path);
        var head = new byte[4];
        ReadExactly(stream, head, path, "the 4-byte magic number");
        var magic = BinaryPrimitives.ReadInt32BigEndian(head);
        if (magic != expectedMagic)
            throw new DataFormatException(path, null, null,
                $"magic number 0x{magic:X8} is not 0x{expectedMagic:X8}; expected an IDX {what} file of unsigned bytes");

        var dimCount = expectedMagic & 0xFF;
        var dimBytes = new byte[4 * dimCount];
        ReadExactly(stream, dimBytes, path, $"the {dimCount} dimension sizes");
        var dims = new int[dimCount];
        for (var k = 0; k < dimCount; k++)
        {
            dims[k] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * k));
            if (dims[k] < 0 || (k > 0 && dims[k] == 0))
                throw new DataFormatException(path, null, null, $"dimension {k} has size {dims[k]}; expected a positive size");
        }

        var itemSize = 1L;
        for (var k = 1; k < dimCount; k++) itemSize *= dims[k];
        var count = limit is null ? dims[0] : Math.Min(dims[0], limit.Value);
        var bytes = count * itemSize;
        if (bytes > Array.MaxLength) throw new DataFormatException(path, null, null, $"{count} {what} of {itemSize} bytes are too many to load at once; use a limit");
        var data = new byte[bytes];
        ReadExactly(stream, data, path, $"{count} {what} of {itemSize} bytes each (the header promises {dims[0]})");
        return (dims, data);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        var first = file.ReadByte();
        var second = file.ReadByte();
        file.Position = 0;
        return first == 0x1F && second == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string path, string expected)
    {
        int read;
        try
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, $"the gzip data is corrupt ({e.Message})");
        }
        if (read < buffer.Length)
            throw new DataFormatException(path, null, null, $"the file is truncated: expected {expected}, but it ends {buffer.Length - read} bytes early");
    }
}
