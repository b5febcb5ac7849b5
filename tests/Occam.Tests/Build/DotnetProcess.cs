using System.Diagnostics;
using System.Text;

namespace Occam.Tests.Build;

/// <summary>
/// Runs the .NET CLI (or a program it installed) as a child process for the packaging tests: output
/// captured, a time limit that kills the whole process tree, and an environment without the MSBuild
/// settings that <c>dotnet test</c> hands its test host, no shared build servers or reused MSBuild
/// nodes (which would outlive the test and hold its output pipes), and no telemetry or first-run banner.
/// </summary>
internal static class DotnetProcess
{
    /// <summary>The <c>dotnet</c> executable running this test host, else the one on PATH.</summary>
    public static string Dotnet { get; } = FindDotnet();

    /// <summary>The folder of the real <c>dotnet</c> executable (links resolved), or null when unknown.</summary>
    private static string? DotnetRoot { get; } = FindDotnetRoot();

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/> and returns its exit code and interleaved output.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
                                                IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        if (!(start.Environment.TryGetValue("DOTNET_ROOT", out var root) && !string.IsNullOrEmpty(root)) && DotnetRoot is not null)
            start.Environment["DOTNET_ROOT"] = DotnetRoot; // an installed tool's apphost finds the runtime here
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        // A null line marks the end of a stream: the exit code can arrive before the last lines do.
        using var outputClosed = new ManualResetEventSlim();
        using var errorClosed = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) outputClosed.Set(); else lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) errorClosed.Set(); else lock (output) output.AppendLine(e.Data); };
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            lock (output) return (-1, $"timed out after {timeout.TotalSeconds:F0} s: {file} {string.Join(' ', start.ArgumentList)}\n{output}");
        }
        // Both streams to their end, within a bound: a leftover grandchild could hold a pipe open.
        outputClosed.Wait(TimeSpan.FromSeconds(30));
        errorClosed.Wait(TimeSpan.FromSeconds(30));
        lock (output)
            return (process.ExitCode, $"[{watch.Elapsed.TotalSeconds:F1} s] {Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)}\n{output}");
    }

    /// <summary>Runs <c>dotnet</c> and fails the test, showing the output, unless it exits with 0.</summary>
    public static string RunDotnet(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (code, output) = Run(Dotnet, args, workingDirectory, timeout, environment);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited with {code}:\n{Tail(output)}");
        return output;
    }

    /// <summary>The last lines of a long output, for assertion messages.</summary>
    public static string Tail(string output, int lines = 60)
    {
        var all = output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string? FindDotnetRoot()
    {
        var file = new FileInfo(Dotnet);
        if (!file.Exists) return null;
        return Path.GetDirectoryName(file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName);
    }

    private static string FindDotnet()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, exe))) return Path.GetFullPath(Path.Combine(dir, exe));
        return exe;
    }
}
