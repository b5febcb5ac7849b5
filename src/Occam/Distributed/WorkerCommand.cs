using System.Text;

namespace Occam.Distributed;

/// <summary>How to start Occam's command line again in another process: an executable and the arguments before the command (e.g. <c>dotnet Occam.Cli.dll</c>).</summary>
/// <param name="Executable">The program to start.</param>
/// <param name="Prefix">Arguments before Occam's own (the CLI assembly when the program is the dotnet host).</param>
public sealed record WorkerCommand(string Executable, IReadOnlyList<string> Prefix)
{
    /// <summary>The full argument list for Occam arguments <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> Arguments(params string[] arguments) => [.. Prefix, .. arguments];

    /// <summary>The command line as a POSIX shell line, every word single-quoted where needed.</summary>
    public string ShellLine(params string[] arguments) => string.Join(" ", new[] { Executable }.Concat(Arguments(arguments)).Select(Quote));

    /// <summary>A word quoted for a POSIX shell (single quotes, unless it needs none).</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,%@+".Contains(c))) return word;
        var text = new StringBuilder("'");
        foreach (char c in word) text.Append(c == '\'' ? "'\\''" : c.ToString());
        return text.Append('\'').ToString();
    }

    /// <summary>Where <paramref name="program"/> is found on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
