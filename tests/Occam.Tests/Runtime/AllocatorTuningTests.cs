using Occam.Runtime;

namespace Occam.Tests.Runtime;

public sealed class AllocatorTuningTests
{
    [Fact]
    public void Apply_IsAcceptedByGlibc_OnLinux_AndIsIdempotent()
    {
        bool first = AllocatorTuning.Apply();
        Assert.Equal(first, AllocatorTuning.Apply());
        if (OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6")) Assert.True(first, "glibc refused mallopt(M_MMAP_THRESHOLD / M_TRIM_THRESHOLD)");
        if (!OperatingSystem.IsLinux()) Assert.False(first);
    }
}
