using System.Buffers.Binary;

namespace Occam.Tests.Reporting;

/// <summary>Reads the facts the plot tests check from a PNG file: signature and IHDR size.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts <paramref name="path"/> is a PNG of more than <paramref name="minBytes"/> bytes with the given size.</summary>
    public static void AssertValid(string path, int width, int height, int minBytes = 5_000)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > minBytes, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(Signature, bytes[..8]);
        // The first chunk is IHDR: length (4), type "IHDR" (4), width (4, big-endian), height (4, big-endian).
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    /// <summary>Asserts the folder holds no leftover temporary files from atomic writes.</summary>
    public static void AssertNoTempFiles(string directory) =>
        Assert.Empty(Directory.EnumerateFiles(directory, "*.tmp", SearchOption.AllDirectories));
}
