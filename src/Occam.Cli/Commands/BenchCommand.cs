using System.CommandLine;

namespace Occam.Cli.Commands;

/// <summary><c>occam bench</c>: the standard benchmark protocols (<c>uci</c>, <c>mnist</c>) and agreement with an HMC reference (<c>reference</c>).</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var bench = new Command("bench", "Run a standard benchmark protocol");
        bench.Subcommands.Add(BenchUciCommand.Create(env));
        bench.Subcommands.Add(BenchMnistCommand.Create(env));
        bench.Subcommands.Add(BenchReferenceCommand.Create(env));
        return bench;
    }
}
