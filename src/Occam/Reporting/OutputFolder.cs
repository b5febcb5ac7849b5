namespace Occam.Reporting;

/// <summary>
/// A run's output folder, written transactionally: everything goes into a hidden folder beside the
/// target (<c>.NAME.partial-GUID</c>), which replaces the target only on <see cref="Commit"/>. A failed or
/// interrupted run leaves the previous output as it was and no files of its own behind; a committed run
/// leaves no stale files of an earlier one. The target is checked before any work: it must not be a file,
/// and an existing non-empty folder must be one Occam wrote (it holds the marker file), so a mistyped
/// path such as the current folder is never replaced.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    /// <summary>The marker file every Occam output folder holds.</summary>
    public const string MarkerName = ".occam-output";

    private bool _done;

    private OutputFolder(string target, string path)
    {
        Target = target;
        Path = path;
    }

    /// <summary>The folder the run's results end up in.</summary>
    public string Target { get; }

    /// <summary>The folder to write into until <see cref="Commit"/>.</summary>
    public string Path { get; }

    /// <summary>Checks <paramref name="target"/> and creates the folder to write into.</summary>
    /// <param name="target">The output folder.</param>
    /// <param name="option">How messages name the target (e.g. "--out").</param>
    /// <exception cref="ArgumentException">The target is a file, a folder Occam did not write, or its parent cannot be written; ParamName is <paramref name="option"/>.</exception>
    public static OutputFolder Begin(string target, string option = "output folder")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var full = System.IO.Path.GetFullPath(target);
        if (File.Exists(full)) throw new ArgumentException($"{option} {target} is a file; expected a folder", option);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(System.IO.Path.Combine(full, MarkerName)))
            throw new ArgumentException($"{option} {target} holds files Occam did not write; choose a new or empty folder", option);
        var parent = System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(full)) ?? throw new ArgumentException($"{option} {target} has no parent folder", option);
        var partial = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(full))}.partial-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(partial);
            File.WriteAllText(System.IO.Path.Combine(partial, MarkerName), "written by occam\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} {target} cannot be written ({e.Message})", option, e);
        }
        return new OutputFolder(full, partial);
    }

    /// <summary>Replaces the target with what was written (the previous content is removed).</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        string? old = null;
        if (Directory.Exists(Target))
        {
            old = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Target)!, $".{System.IO.Path.GetFileName(Target)}.old-{Guid.NewGuid():N}");
            Directory.Move(Target, old);
        }
        Directory.Move(Path, Target);
        _done = true;
        if (old is not null) Directory.Delete(old, recursive: true);
    }

    /// <summary>Removes what was written unless it was committed.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // the run has already failed; a leftover hidden folder is harmless
        }
    }
}
