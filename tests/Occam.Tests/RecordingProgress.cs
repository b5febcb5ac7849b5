using Occam.Core;

namespace Occam.Tests;

/// <summary>Records every run report synchronously (System.Progress posts them later, on the thread pool).</summary>
internal sealed class RecordingProgress : IProgress<RunReport>
{
    /// <summary>The reports, in the order they came.</summary>
    public List<RunReport> Seen { get; } = [];

    /// <inheritdoc />
    public void Report(RunReport value) => Seen.Add(value);
}
