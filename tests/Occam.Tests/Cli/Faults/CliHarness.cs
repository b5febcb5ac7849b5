using Occam.Cli;
using Occam.Reporting;

namespace Occam.Tests.Cli.Faults;

/// <summary>Runs the CLI in-process and checks the fault contract: exit code, one line on stderr naming the culprit, no stack trace, earlier outputs untouched.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(string[] args, CancellationToken cancellation = default, Action<string>? onOutput = null)
    {
        var output = onOutput is null ? new StringWriter() : new WatchingWriter(onOutput);
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error, cancellation);
        return (code, output.ToString()!, error.ToString());
    }

    /// <summary>Asserts the exit code and that stderr is exactly one "error: ..." line containing every expected fragment, without a stack trace.</summary>
    public static void AssertRefused((int Code, string Out, string Err) result, int code, params string[] expected)
    {
        Assert.True(result.Code == code, $"exit {result.Code}, expected {code}; stderr: {result.Err}");
        var lines = result.Err.Trim().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {result.Err}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (var fragment in expected) Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.DoesNotContain("Exception", lines[0]);
    }

    /// <summary>An output folder from an earlier run (marker and a results file), and a snapshot of it.</summary>
    public static (string Path, Dictionary<string, string> Snapshot) PreviousOutput()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "out");
        Directory.CreateDirectory(Path.Combine(dir, "model"));
        File.WriteAllText(Path.Combine(dir, OutputFolder.MarkerName), "written by occam\n");
        File.WriteAllText(Path.Combine(dir, "results.json"), "{\"earlier\": true}\n");
        File.WriteAllText(Path.Combine(dir, "model", "posterior.json"), "{\"earlier\": true}\n");
        return (dir, Snapshot(dir));
    }

    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText);

    /// <summary>The folder holds exactly what it held, and no partial folder was left beside it.</summary>
    public static void AssertUnchanged(string dir, Dictionary<string, string> snapshot)
    {
        Assert.Equal(snapshot.OrderBy(kv => kv.Key), Snapshot(dir).OrderBy(kv => kv.Key));
        var parent = Path.GetDirectoryName(dir)!;
        Assert.DoesNotContain(Directory.EnumerateDirectories(parent), d => Path.GetFileName(d).Contains(".partial-", StringComparison.Ordinal));
    }

    public static string Write(string text, string name = "data.csv")
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), name);
        File.WriteAllText(path, text);
        return path;
    }

    public static string WriteBytes(byte[] bytes, string name)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A regression CSV y = sin(x1) + x2/2 + noise with a text column "kind".</summary>
    public static string RegressionCsv(int rows = 80)
    {
        var lines = new List<string> { "x1,kind,x2,y" };
        var rng = new Random(1);
        for (int i = 0; i < rows; i++)
        {
            double a = rng.NextDouble() * 4 - 2, b = rng.NextDouble() * 4 - 2;
            lines.Add(FormattableString.Invariant($"{a:F4},{(i % 3 == 0 ? "red" : "blue")},{b:F4},{Math.Sin(a) + 0.5 * b + 0.1 * (rng.NextDouble() - 0.5):F4}"));
        }
        return Write(string.Join("\n", lines) + "\n");
    }

    /// <summary>A classification CSV with text labels "low" / "mid" / "high".</summary>
    public static string ClassificationCsv(int rows = 90)
    {
        var lines = new List<string> { "a,b,label" };
        var rng = new Random(2);
        string[] names = ["low", "mid", "high"];
        for (int i = 0; i < rows; i++)
        {
            int k = i % 3;
            lines.Add(FormattableString.Invariant($"{k + 0.3 * rng.NextDouble():F4},{rng.NextDouble():F4},{names[k]}"));
        }
        return Write(string.Join("\n", lines) + "\n");
    }

    private sealed class WatchingWriter(Action<string> onOutput) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null) onOutput(value);
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null) onOutput(value);
        }
    }
}
