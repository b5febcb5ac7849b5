using System.Runtime.InteropServices;

namespace Occam.Runtime;

/// <summary>
/// Keeps glibc's allocator from handing libtorch's short-lived buffers back to the kernel after every
/// step. By default glibc serves blocks above a sliding threshold (128 KiB at first) with fresh
/// <c>mmap</c> calls and trims freed heap tops, so every forward/backward pass of a CNN re-faults its
/// activation buffers page by page. On the 2-core machines Occam is developed on this made a LeNet-5
/// training step swing between 8 ms and 50 ms from run to run, with about 500,000 minor page faults
/// per 1,000 steps. <see cref="Apply"/> fixes the mmap threshold at 32 MiB (glibc's maximum) and the
/// trim threshold at 1 GiB, which makes step times stable; the cost is that up to 1 GiB of freed
/// memory stays reserved by the process. The <c>occam</c> CLI and the benchmarks call it at start;
/// library users may call it once at start-up. It does nothing off Linux or without glibc.
/// </summary>
public static class AllocatorTuning
{
    private const int TrimThresholdOption = -1;   // M_TRIM_THRESHOLD in glibc's malloc.h
    private const int MmapThresholdOption = -3;   // M_MMAP_THRESHOLD
    private const int MmapThresholdBytes = 32 << 20;
    private const int TrimThresholdBytes = 1 << 30;
    private static readonly Lazy<bool> Applied = new(Tune);

    /// <summary>Applies the settings once per process; true when glibc accepted them.</summary>
    public static bool Apply() => Applied.Value;

    private static bool Tune()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapThresholdOption, MmapThresholdBytes) == 1 && mallopt(TrimThresholdOption, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): nothing to tune
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int option, int value);
}
