// MSBuild task, compiled by RoslynCodeTaskFactory from Occam.targets beside it (netstandard2.0 API only).
// It ships in the Occam package's buildTransitive folder and this repository's Directory.Build.targets
// imports the same Occam.targets, so consumers and the repository's own builds run the same code.
//
// libLibTorchSharp.so from TorchSharp 0.107 lists GLIBCXX_3.4.32 among its version needs on
// libstdc++.so.6. The only symbol behind it is std::ios_base_library_init(), a marker that GCC 13
// headers reference and nothing calls; libtorch itself needs GLIBCXX_3.4.26. Setting the
// VER_FLG_WEAK bit in that Vernaux entry makes the dynamic loader accept an older libstdc++.
//
// Safety: the task edits only copies under the given output directory (written to a temporary
// file and moved over the target, so a hard link into the NuGet cache is broken, never written
// through), keeps the file's timestamp so incremental copies stay skipped, is idempotent, and
// does nothing when the system libstdc++ already provides the version.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxNeed : Task
{
    private const string Library = "libLibTorchSharp.so";
    private const string NeededFile = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Output folder to search (recursively) for libLibTorchSharp.so.</summary>
    [Required]
    public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {Version}; nothing to patch.");
            return true;
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Library, SearchOption.AllDirectories))
        {
            try
            {
                var result = Patch(path);
                Log.LogMessage(MessageImportance.Normal, $"{path}: {result}");
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning($"Could not mark {Version} weak in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate)) continue;
            var bytes = File.ReadAllBytes(candidate);
            return IndexOf(bytes, needle) >= 0;
        }
        return false; // unknown layout: patching is harmless, the flag only relaxes a check
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 need; returns what it did.</summary>
    public static string Patch(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1) return "not a 64-bit little-endian ELF; left as is";

        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(bytes, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(bytes, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(bytes, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(bytes, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(bytes, checked((int)shoff + link * shentsize) + 0x18));
            return PatchVerneed(path, bytes, offset, count, strtab);
        }
        return "no version needs; left as is";
    }

    private static string PatchVerneed(string path, byte[] bytes, int offset, int count, int strtab)
    {
        int need = offset;
        for (int n = 0; n < count; n++)
        {
            int auxCount = BitConverter.ToUInt16(bytes, need + 2);
            string file = ReadString(bytes, strtab + (int)BitConverter.ToUInt32(bytes, need + 4));
            int aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
            for (int a = 0; file == NeededFile && a < auxCount; a++)
            {
                string name = ReadString(bytes, strtab + (int)BitConverter.ToUInt32(bytes, aux + 8));
                if (name == Version)
                {
                    int flagsAt = aux + 4;
                    ushort flags = BitConverter.ToUInt16(bytes, flagsAt);
                    if ((flags & VerFlgWeak) != 0) return $"{Version} already weak";
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, flagsAt);
                    WriteKeepingTimestamp(path, bytes);
                    return $"marked {Version} weak";
                }
                aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
            }
            need += (int)BitConverter.ToUInt32(bytes, need + 12);
        }
        return $"no {Version} need; left as is";
    }

    private static void WriteKeepingTimestamp(string path, byte[] bytes)
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".occam-patch.tmp";
        File.WriteAllBytes(temp, bytes);
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Delete(path); // unlink first: a hard link into the NuGet cache must never be written through
        File.Move(temp, path);
    }

    private static string ReadString(byte[] bytes, int start)
    {
        int end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
