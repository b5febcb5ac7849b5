using System.CommandLine;
using Occam.Cli.Commands;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Builds the command tree and runs it with one error policy: one line on stderr, non-zero exit, no stack trace (unless --verbose).</summary>
public static class CliApp
{
    /// <summary>Exit code of bad input (data, options).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of a failure while computing (e.g. diverged training).</summary>
    public const int Failed = 1;

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        Runtime.AllocatorTuning.Apply();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        var common = new CommonOptions();
        var registry = Core.MethodRegistry.Default;
        var flags = new MethodFlags(registry);
        var env = new CliEnvironment(console, error, common, registry, flags);
        var root = Build(env);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"error: {first.Message} (see occam --help)");
            return BadInput;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e, error, parsed.GetValue(common.Verbose), flags);
        }
    }

    /// <summary>The command tree.</summary>
    internal static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("occam — Bayesian deep learning: fit a posterior over network weights, predict with the Bayesian model average, and check whether its uncertainty can be trusted.");
        root.Subcommands.Add(DemoCommand.Create(env));
        root.Subcommands.Add(FitCommand.Create(env));
        root.Subcommands.Add(EvalCommand.Create(env));
        root.Subcommands.Add(BenchCommand.Create(env));
        root.Subcommands.Add(MethodsCommand.Create(env));
        root.Subcommands.Add(StudyCommand.Create(env));
        foreach (var option in env.Common.All) root.Options.Add(option);
        return root;
    }

    private static int Report(Exception e, TextWriter error, bool verbose, MethodFlags flags)
    {
        if (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        var code = e is OccamException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException
            ? BadInput : Failed;
        if (e is Core.TrainingDivergedException) code = Failed;
        var message = OneLine(e.Message);
        if (e is ArgumentException { ParamName: { } option } && flags.IsFlag(option) && !message.StartsWith("--", StringComparison.Ordinal))
            message = message.StartsWith(option + " ", StringComparison.Ordinal) ? "--" + message : $"--{option}: {message}";
        error.WriteLine($"error: {message}");
        if (verbose) error.WriteLine(e.ToString());
        return code;
    }

    private static string OneLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var paramNote = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return paramNote > 0 ? line[..paramNote] : line;
    }
}

/// <summary>What every command handler receives: the console, the error stream, the shared options, the method registry and its flags.</summary>
public sealed record CliEnvironment(IAnsiConsole Console, TextWriter Error, CommonOptions Common, Core.MethodRegistry Registry, MethodFlags MethodFlags);
