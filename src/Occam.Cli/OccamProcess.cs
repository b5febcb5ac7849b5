using Occam.Distributed;

namespace Occam.Cli;

/// <summary>How this Occam starts itself in another process: the dotnet host with the CLI assembly, or the installed executable.</summary>
internal static class OccamProcess
{
    /// <summary>The command that runs this very Occam (the same version and build) again.</summary>
    public static WorkerCommand Current()
    {
        var assembly = typeof(CliApp).Assembly.Location;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return new WorkerCommand(process, [assembly]);
        if (process is not null && string.Equals(Path.GetFileNameWithoutExtension(process), Path.GetFileNameWithoutExtension(assembly), StringComparison.Ordinal))
            return new WorkerCommand(process, []);
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return new WorkerCommand(host is not null && File.Exists(host) ? host : WorkerCommand.FindOnPath("dotnet") ?? "dotnet", [assembly]);
    }
}
