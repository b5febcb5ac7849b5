using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Occam.Tests.Build;

/// <summary>
/// A temporary package feed outside the repository, holding Occam and Occam.Cli packed from this
/// checkout (each packed on first use). Packing builds Release under the feed's own artifacts folder
/// (<c>--artifacts-path</c>), so the repository's bin and obj folders and the running test host's files
/// are never written. Everything lives under one temporary folder, deleted at the end.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>Time limit for one pack, restore, build or install.</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromMinutes(10);

    private readonly Lazy<string> library;
    private readonly Lazy<string> tool;

    public PackageFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "occam-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Feed);
        var informational = typeof(OccamException).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Version = informational.Split('+')[0];
        // A version no earlier run produced, so no copy in a NuGet cache or fallback folder can stand in for this build.
        LibraryPackageVersion = $"{Version}-check.{Guid.NewGuid().ToString("N")[..8]}";
        library = new Lazy<string>(() => Pack("src/Occam/Occam.csproj", "Occam", "-p:PackageVersion=" + LibraryPackageVersion));
        tool = new Lazy<string>(() => Pack("src/Occam.Cli/Occam.Cli.csproj", "Occam.Cli"));
    }

    /// <summary>The temporary folder holding the feed, the build artifacts and the tests' apps and tools.</summary>
    public string Root { get; }

    /// <summary>The local package folder the packages are packed into.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The repository's version (Directory.Build.props), which the tool package carries.</summary>
    public string Version { get; }

    /// <summary>The library package's version: the repository's version with a unique prerelease label.</summary>
    public string LibraryPackageVersion { get; }

    /// <summary>The duration and command line of each pack so far.</summary>
    public List<string> PackSteps { get; } = [];

    /// <summary>Path of Occam.*.nupkg (packed on first use).</summary>
    public string LibraryPackage => library.Value;

    /// <summary>Path of Occam.Cli.*.nupkg (packed on first use).</summary>
    public string ToolPackage => tool.Value;

    private string Pack(string project, string id, params string[] extra)
    {
        var args = new List<string>
        {
            "pack", Path.Combine(TestPaths.RepositoryRoot, project), "-c", "Release", "-o", Feed,
            "--artifacts-path", Path.Combine(Root, "artifacts"),
        };
        args.AddRange(extra);
        var output = DotnetProcess.RunDotnet(TestPaths.RepositoryRoot, Slow, null, [.. args]);
        PackSteps.Add(output.Split('\n')[0]);
        return Directory.EnumerateFiles(Feed, id + ".*.nupkg")
                        .Single(p => Regex.IsMatch(Path.GetFileName(p), "^" + Regex.Escape(id) + @"\.\d"));
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// What a user gets from the packages: a console app outside the repository that references Occam
/// loads torch and runs the README example, and the occam tool installs and runs. Slow (packing,
/// restoring, building, copying about 500 MB of natives): filter them out with
/// <c>dotnet test --filter Category!=Packaging</c>.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(ProcessHeavyCollection.Name)]
public sealed class PackagingTests(PackageFeed feed, ITestOutputHelper log) : IClassFixture<PackageFeed>
{
    [Fact]
    public void LibraryPackage_ConsoleAppOutsideTheRepository_LoadsTorchAndRunsTheReadmeExample()
    {
        var package = feed.LibraryPackage;
        feed.PackSteps.ForEach(log.WriteLine);
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net10.0/Occam.dll", entries);
            Assert.Contains("buildTransitive/Occam.targets", entries);
            Assert.Contains("buildTransitive/WeakenGlibcxxNeed.cs", entries);
        }

        var consumer = Path.Combine(feed.Root, "consumer");
        var app = Path.Combine(consumer, "app");
        Directory.CreateDirectory(app);
        Assert.False(IsUnder(consumer, TestPaths.RepositoryRoot), $"{consumer} must be outside the repository");
        // Stop MSBuild's upward search here, so stray Directory.Build.* files in the temporary folder cannot leak in.
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />\n");
        var userPackages = UserNuGetPackages();
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="occam-local" value="{feed.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <!-- TorchSharp and the rest come from the usual source; already-downloaded packages are used in place. -->
              <fallbackPackageFolders>
                <add key="user-packages" value="{userPackages}" />
              </fallbackPackageFolders>
              <packageSourceMapping>
                <packageSource key="occam-local"><package pattern="Occam" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "tests", "Occam.Tests", "Readme", "ReadmeExample.cs"), Path.Combine(app, "ReadmeExample.cs"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            Console.WriteLine("torch " + TorchSharp.torch.__version__);
            double testLogLikelihood = ReadmeExample.Run(args[0], args[1]);
            Console.WriteLine("test log-likelihood: " + testLogLikelihood.ToString("R", CultureInfo.InvariantCulture));
            """);
        var csv = Path.Combine(consumer, "houses.csv");
        WriteHousesCsv(csv);

        // The consumer's own package folder: the Occam package is extracted fresh; nothing is written to the user's cache.
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(consumer, "packages") };
        Step(DotnetProcess.RunDotnet(app, PackageFeed.Slow, env, "add", "package", "Occam", "--version", feed.LibraryPackageVersion));
        Step(DotnetProcess.RunDotnet(app, PackageFeed.Slow, env, "build"));
        var bin = Path.Combine(app, "bin", "Debug", "net10.0");
        var (code, output) = DotnetProcess.Run(DotnetProcess.Dotnet, [Path.Combine(bin, "app.dll"), csv, Path.Combine(consumer, "model")], app, PackageFeed.Slow, env);
        Step(output);
        Assert.True(code == 0, $"the app exited with {code}:\n{DotnetProcess.Tail(output)}");
        Assert.Contains("torch 2.10", output);
        var match = Regex.Match(output, @"test log-likelihood: (\S+)");
        Assert.True(match.Success, output);
        double testLogLikelihood = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(double.IsFinite(testLogLikelihood), match.Value);

        // Lean output: only this platform's native folders were copied.
        var platforms = Directory.EnumerateDirectories(Path.Combine(bin, "runtimes")).Select(d => Path.GetFileName(d)!).ToList();
        Assert.Contains(RuntimeInformation.RuntimeIdentifier, platforms);
        Assert.All(platforms, p => Assert.True(LoadableHere(p), $"runtimes/{p} is another platform's"));
        log.WriteLine($"package {new FileInfo(package).Length / 1e6:F1} MB; app output {DirectorySize(bin) / 1e6:F0} MB");

        if (OperatingSystem.IsLinux())
        {
            // The package's targets patched the app's copy, and only that copy.
            var lib = Directory.EnumerateFiles(bin, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
            var flags = ElfVersionNeeds.FlagsOf(lib, "libstdc++.so.6", "GLIBCXX_3.4.32");
            if (flags is not null && !ElfVersionNeeds.SystemLibstdcxxHas("GLIBCXX_3.4.32"))
                Assert.True((flags.Value & 0x2) != 0, "GLIBCXX_3.4.32 must be weak in the app's copy");
            var cached = Path.Combine(userPackages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            if (File.Exists(cached) && ElfVersionNeeds.FlagsOf(cached, "libstdc++.so.6", "GLIBCXX_3.4.32") is { } cachedFlags)
                Assert.Equal(0, cachedFlags & 0x2);
        }
    }

    [Fact]
    public void ToolPackage_InstallsIntoAToolPath_AndRunsVersionHelpAndDemo()
    {
        var package = feed.ToolPackage;
        feed.PackSteps.ForEach(log.WriteLine);
        using (var zip = ZipFile.OpenRead(package))
        {
            var settings = zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
            using (var reader = new StreamReader(settings.Open()))
                Assert.Contains("Name=\"occam\"", reader.ReadToEnd());
            // A tool cannot restore packages when installed: torch's natives travel inside it.
            var native = zip.Entries.Where(e => Regex.IsMatch(e.Name, @"^(lib)?LibTorchSharp\.(so|dylib|dll)$")).ToList();
            Assert.NotEmpty(native);
            if (OperatingSystem.IsLinux() && !ElfVersionNeeds.SystemLibstdcxxHas("GLIBCXX_3.4.32"))
            {
                var copy = Path.Combine(feed.Root, "packed-libLibTorchSharp.so");
                native.Single(e => e.Name == "libLibTorchSharp.so").ExtractToFile(copy);
                var flags = ElfVersionNeeds.FlagsOf(copy, "libstdc++.so.6", "GLIBCXX_3.4.32");
                Assert.True(flags is null || (flags.Value & 0x2) != 0, "the packed libLibTorchSharp.so must have GLIBCXX_3.4.32 weak");
            }
        }

        // Only the local feed: the tool cannot come from anywhere else.
        var config = Path.Combine(feed.Root, "tool-nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="occam-local" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(feed.Root, "tools");
        Step(DotnetProcess.RunDotnet(feed.Root, PackageFeed.Slow, null,
            "tool", "install", "Occam.Cli", "--tool-path", tools, "--configfile", config, "--version", feed.Version));
        log.WriteLine($"package {new FileInfo(package).Length / 1e6:F1} MB; installed {DirectorySize(tools) / 1e6:F0} MB");
        var occam = Path.Combine(tools, OperatingSystem.IsWindows() ? "occam.exe" : "occam");

        var (code, output) = DotnetProcess.Run(occam, ["--version"], feed.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.Matches(@"\n" + Regex.Escape(feed.Version) + @"(\+\w+)?\s*$", output);

        (code, output) = DotnetProcess.Run(occam, ["--help"], feed.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.Contains("occam [command] [options]", output);

        var demo = Path.Combine(feed.Root, "demo");
        (code, output) = DotnetProcess.Run(occam, ["demo", "--out", demo], feed.Root, PackageFeed.Slow);
        Step(output);
        Assert.True(code == 0, $"occam demo exited with {code}:\n{DotnetProcess.Tail(output)}");
        foreach (var file in new[] { "results.json", "results.md", "regression-bands.png" })
            Assert.True(File.Exists(Path.Combine(demo, file)), $"{file} missing from {demo}");
    }

    /// <summary>Logs a step's first line: its duration and command.</summary>
    private void Step(string output) => log.WriteLine(output.Split('\n')[0]);

    private static void WriteHousesCsv(string path)
    {
        var rng = new Random(3);
        var text = new StringBuilder("rooms,area,price\n");
        for (int i = 0; i < 120; i++)
        {
            double rooms = rng.Next(1, 7), area = 30 + 20 * rooms + 10 * rng.NextDouble();
            text.AppendLine(FormattableString.Invariant($"{rooms},{area:F1},{50 + 3 * area + 20 * rng.NextDouble():F1}"));
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Whether this machine's runtime loads native assets from runtimes/<paramref name="rid"/> (its RID and the generic ones it falls back to).</summary>
    private static bool LoadableHere(string rid)
    {
        var here = RuntimeInformation.RuntimeIdentifier;                  // e.g. linux-x64
        var os = here[..here.LastIndexOf('-')];
        var arch = here[(here.LastIndexOf('-') + 1)..];
        return rid == here || rid == os || rid == "any"
               || (os.StartsWith("linux", StringComparison.Ordinal) && (rid == "linux-" + arch || rid == "linux"))
               || (!OperatingSystem.IsWindows() && rid == "unix");
    }

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static string UserNuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static bool IsUnder(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
