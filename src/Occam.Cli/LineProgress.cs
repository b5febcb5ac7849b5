namespace Occam.Cli;

/// <summary>Writes progress lines as they come, in order (System.Progress would post them to the thread pool).</summary>
public sealed class LineProgress(Action<string> write) : IProgress<string>
{
    /// <inheritdoc />
    public void Report(string value) => write(value);
}
