using System.Text;

namespace Occam.Tests.Build;

/// <summary>An independent reader of ELF64 version needs (.gnu.version_r), used to check the build's patch.</summary>
internal static class ElfVersionNeeds
{
    /// <summary>The vna_flags of the named version need on the named file, or null when absent.</summary>
    public static int? FlagsOf(string path, string file, string version)
    {
        var b = File.ReadAllBytes(path);
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)shoff + i * shentsize;
            if (BitConverter.ToUInt32(b, sh + 4) != 0x6ffffffe) continue;
            int off = (int)BitConverter.ToInt64(b, sh + 0x18), link = BitConverter.ToInt32(b, sh + 0x28), cnt = BitConverter.ToInt32(b, sh + 0x2C);
            int str = (int)BitConverter.ToInt64(b, (int)shoff + link * shentsize + 0x18);
            for (int n = 0, need = off; n < cnt; n++, need += BitConverter.ToInt32(b, need + 12))
            {
                if (Name(b, str + BitConverter.ToInt32(b, need + 4)) != file) continue;
                int aux = need + BitConverter.ToInt32(b, need + 8);
                for (int a = 0; a < BitConverter.ToUInt16(b, need + 2); a++, aux += BitConverter.ToInt32(b, aux + 12))
                    if (Name(b, str + BitConverter.ToInt32(b, aux + 8)) == version) return BitConverter.ToUInt16(b, aux + 4);
            }
        }
        return null;
    }

    /// <summary>Whether the system's libstdc++ defines the version (searched as a string in the library).</summary>
    public static bool SystemLibstdcxxHas(string version)
    {
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            var p = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(p)) return Encoding.ASCII.GetString(File.ReadAllBytes(p)).Contains(version + "\0");
        }
        return false;
    }

    private static string Name(byte[] b, int at)
    {
        int end = at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
