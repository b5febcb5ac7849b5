using static TorchSharp.torch;

namespace Occam.Tests;

/// <summary>
/// Runs libtorch on one intra-op thread until disposed, then restores the previous count. Long loops of
/// small tensor operations (samplers on tiny models) wait on thread hand-offs when the cores are busy; one
/// thread keeps them fast. Tests run one at a time, so the process-wide setting is safe here.
/// </summary>
internal sealed class SingleThread : IDisposable
{
    private readonly int _previous = get_num_threads();

    public SingleThread() => set_num_threads(1);

    public void Dispose() => set_num_threads(_previous);
}
