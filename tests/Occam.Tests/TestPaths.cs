namespace Occam.Tests;

/// <summary>Locations the tests read from: the repository root and the shared benchmark data beside it.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding Occam.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/data relative to the repository root (read-only benchmark data).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>A fresh empty temporary folder.</summary>
    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "occam-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Occam.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Occam.sln not found above " + AppContext.BaseDirectory);
    }
}
