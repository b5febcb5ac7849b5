using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteAllText_CreatesMissingParentDirectoryAndFile()
    {
        var path = Path.Combine(_dir, "a", "b", "report.txt");
        AtomicFile.WriteAllText(path, "héllo ±");
        Assert.Equal("héllo ±", File.ReadAllText(path));
        Assert.Equal([.. "héllo ±"u8], File.ReadAllBytes(path)); // UTF-8 without byte-order mark
        PngFile.AssertNoTempFiles(_dir);
    }

    [Fact]
    public void WriteAllBytes_ReplacesExistingContent()
    {
        var path = Path.Combine(_dir, "data.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        AtomicFile.WriteAllBytes(path, [9]);
        Assert.Equal([9], File.ReadAllBytes(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Write_FailingWriter_LeavesOldContentAndNoTempFile()
    {
        var path = Path.Combine(_dir, "results.json");
        AtomicFile.WriteAllText(path, "old");
        string? seenTemp = null;

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, temp =>
        {
            seenTemp = temp;
            File.WriteAllText(temp, "half-writ");
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.NotNull(seenTemp);
        Assert.Equal(_dir, Path.GetDirectoryName(seenTemp));
        Assert.Matches(@"^\.results\.json\.[0-9a-f]{32}\.tmp$", Path.GetFileName(seenTemp));
        Assert.False(File.Exists(seenTemp));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Write_WriterThatCreatesNothing_ThrowsAndKeepsOldContent()
    {
        var path = Path.Combine(_dir, "results.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => { }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Write_PathIsDirectory_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText(_dir, "x"));
        Assert.Equal("path", error.ParamName);
    }
}
