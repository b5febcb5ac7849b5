using System.CommandLine;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam methods</c>: the registered methods, what they do, and their options with defaults.</summary>
public static class MethodsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("methods", "List the inference methods, what they do and their options (NAME@mean predicts at the posterior mean)");
        command.SetAction(_ =>
        {
            foreach (var m in env.Registry.Methods)
            {
                env.Console.MarkupLine($"[bold]{Markup.Escape(m.Name)}[/]: {Markup.Escape(m.Description)}");
                foreach (var o in m.Options)
                    env.Console.MarkupLine(Markup.Escape($"    --{o.Name} (default {o.Default}): {o.Description}"));
            }
            return 0;
        });
        return command;
    }
}
