namespace Occam.Reporting;

/// <summary>
/// Writes files so that readers see either the old content or the complete new content, never a
/// half-written file: the data goes to a hidden temporary file in the same directory (<c>.{name}.{guid}.tmp</c>),
/// is flushed to disk, and is then renamed over the target. A failed write leaves the target untouched
/// and removes the temporary file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Atomically replaces (or creates) <paramref name="path"/> with <paramref name="text"/> encoded as UTF-8 without a byte-order mark.</summary>
    /// <param name="path">The file to write; its parent directory is created when missing.</param>
    /// <param name="text">The complete new content.</param>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
    }

    /// <summary>Atomically replaces (or creates) <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <param name="path">The file to write; its parent directory is created when missing.</param>
    /// <param name="bytes">The complete new content.</param>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
        });
    }

    /// <summary>
    /// Atomically replaces (or creates) <paramref name="path"/> with whatever <paramref name="writeToTempPath"/>
    /// writes to the temporary path it is given. Use this for libraries that insist on saving to a path themselves.
    /// </summary>
    /// <param name="path">The file to write; its parent directory is created when missing.</param>
    /// <param name="writeToTempPath">Writes the complete content to the path it receives (which does not exist yet).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The writer returned without creating the temporary file, or the rename failed.</exception>
    public static void Write(string path, Action<string> writeToTempPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeToTempPath);
        var fullPath = Path.GetFullPath(path);
        var name = Path.GetFileName(fullPath);
        if (name.Length == 0)
            throw new ArgumentException($"Expected a file path, got the directory '{path}'.", nameof(path));
        var directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"Expected a file path with a parent directory, got '{path}'.", nameof(path));
        if (Directory.Exists(fullPath))
            throw new ArgumentException($"Expected a file path, but '{path}' is an existing directory.", nameof(path));

        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeToTempPath(temp);
            if (!File.Exists(temp))
                throw new IOException($"The writer for '{path}' returned without creating the temporary file '{temp}'.");
            FlushToDisk(temp);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Forces the temporary file's data to stable storage so a crash after the rename cannot expose an empty file.</summary>
    private static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.Flush(flushToDisk: true);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
