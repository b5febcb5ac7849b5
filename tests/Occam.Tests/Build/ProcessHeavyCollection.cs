namespace Occam.Tests.Build;

/// <summary>
/// Tests that start many dotnet processes (packing and restoring, Slurm jobs): they run one after another
/// and alone, after the parallel tests, so no other test's processes compete with a NuGet restore.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeavyCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Process-heavy";
}
