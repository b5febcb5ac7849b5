using System.CommandLine;

namespace Occam.Cli.Commands;

/// <summary><c>occam bench</c>: the standard benchmark protocols (<c>uci</c>, <c>mnist</c>).</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var bench = new Command("bench", "Run a standard benchmark protocol");
        bench.Subcommands.Add(BenchUciCommand.Create(env));
        bench.Subcommands.Add(BenchMnistCommand.Create(env));
        return bench;
    }
}
