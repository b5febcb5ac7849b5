using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Build;

public sealed class TorchLoadsTests
{
    [Fact]
    public void Torch_InitialisesAndComputes()
    {
        // Fails with "GLIBCXX_3.4.32 not found" on Debian 12 unless the build marked that need weak.
        using var x = arange(4, ScalarType.Float32);
        using var y = x.matmul(x);
        Assert.Equal(14f, y.item<float>());
        Assert.StartsWith("2.10", __version__);
    }

    [Fact]
    public void OutputLibrary_HasNoHardGlibcxx3432Need_WhenSystemLacksIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        var lib = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        Assert.NotNull(lib);
        var flags = ElfVersionNeeds.FlagsOf(lib!, "libstdc++.so.6", "GLIBCXX_3.4.32");
        if (flags is null) return; // a TorchSharp build without that need
        var systemHasIt = ElfVersionNeeds.SystemLibstdcxxHas("GLIBCXX_3.4.32");
        Assert.True(systemHasIt || (flags.Value & 0x2) != 0, "GLIBCXX_3.4.32 must be marked weak (VER_FLG_WEAK) in the output copy");
    }

    [Fact]
    public void NuGetCacheCopy_IsLeftUntouched()
    {
        if (!OperatingSystem.IsLinux()) return;
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(cached)) return;
        var flags = ElfVersionNeeds.FlagsOf(cached, "libstdc++.so.6", "GLIBCXX_3.4.32");
        Assert.Equal(0, flags!.Value & 0x2);
    }
}
