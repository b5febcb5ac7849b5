using TorchSharp;

namespace Occam.Tests;

/// <summary>Counts the tensors alive on this thread, to check that loaders leave nothing behind.</summary>
internal static class LiveTensors
{
    public static long Count => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}
