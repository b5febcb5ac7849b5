using System.CommandLine;

namespace Occam.Cli.Commands;

/// <summary><c>occam bench</c>: the standard benchmark protocols (<c>uci</c>, <c>mnist</c>), agreement with an HMC reference (<c>reference</c>) and a leaderboard of <c>uci</c> results (<c>leaderboard</c>).</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var bench = new Command("bench", "Run a standard benchmark protocol");
        bench.Subcommands.Add(BenchUciCommand.Create(env));
        bench.Subcommands.Add(BenchMnistCommand.Create(env));
        bench.Subcommands.Add(BenchReferenceCommand.Create(env));
        bench.Subcommands.Add(BenchLeaderboardCommand.Create(env));
        return bench;
    }
}
