namespace Occam.Tests.Reporting;

/// <summary>
/// Where plot tests write their images: a fresh temporary folder removed afterwards, or, when the
/// environment variable OCCAM_KEEP_PLOTS names a folder, that folder (kept, for looking at the images).
/// </summary>
internal sealed class PlotTestFolder : IDisposable
{
    private readonly bool _keep;

    public PlotTestFolder()
    {
        var keep = Environment.GetEnvironmentVariable("OCCAM_KEEP_PLOTS");
        _keep = !string.IsNullOrWhiteSpace(keep);
        Path = _keep ? Directory.CreateDirectory(keep!).FullName : TestPaths.NewTempDirectory();
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (!_keep) Directory.Delete(Path, recursive: true);
    }
}
