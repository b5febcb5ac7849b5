using System.CommandLine;
using System.CommandLine.Help;
using Occam.Cli.Commands;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>
/// Builds the command tree and runs it with one error policy: one line on stderr, no stack trace (unless
/// --verbose), and the exit code says what happened: 0 success, 2 bad input or options, 1 a failed
/// computation (e.g. diverged training), 130 interrupted (Ctrl-C).
/// </summary>
public static class CliApp
{
    /// <summary>The command's name in help and usage lines; the .NET tool installs it under this name.</summary>
    public const string CommandName = "occam";

    /// <summary>Exit code of bad input (data, options).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of a failure while computing (e.g. diverged training).</summary>
    public const int Failed = 1;

    /// <summary>Exit code of an interrupted run (Ctrl-C).</summary>
    public const int Interrupted = 130;

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; <paramref name="cancellation"/> interrupts a run between steps.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        Runtime.AllocatorTuning.Apply();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected) console.Profile.Width = 4096; // tables fit their content in files and pipes
        var common = new CommonOptions();
        var registry = Core.MethodRegistry.Default;
        var env = new CliEnvironment(console, error, common, registry, new MethodFlags(registry), cancellation);
        var root = Build(env);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"error: {OneLine(first.Message)} (see occam --help)");
            return BadInput;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e, error, parsed.GetValue(common.Verbose), env.MethodFlags);
        }
    }

    /// <summary>The command tree. Its root is named <c>occam</c> (a RootCommand takes the entry assembly's name, Occam.Cli) and carries --help and --version.</summary>
    internal static Command Build(CliEnvironment env)
    {
        var root = new Command(CommandName, "occam — Bayesian deep learning: fit a posterior over network weights, predict with the Bayesian model average, and check whether its uncertainty can be trusted.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(DemoCommand.Create(env));
        root.Subcommands.Add(FitCommand.Create(env));
        root.Subcommands.Add(EvalCommand.Create(env));
        root.Subcommands.Add(PredictCommand.Create(env));
        root.Subcommands.Add(BenchCommand.Create(env));
        root.Subcommands.Add(GeometryCommand.Create(env));
        root.Subcommands.Add(SelectCommand.Create(env));
        root.Subcommands.Add(ActiveCommand.Create(env));
        root.Subcommands.Add(PriorCheckCommand.Create(env));
        root.Subcommands.Add(MethodsCommand.Create(env));
        root.Subcommands.Add(StudyCommand.Create(env));
        root.Subcommands.Add(PlanCommand.Create(env));
        root.Subcommands.Add(WorkCommand.Create(env));
        root.Subcommands.Add(StatusCommand.Create(env));
        root.Subcommands.Add(LaunchCommand.Create(env));
        root.Subcommands.Add(CombineCommand.Create(env));
        foreach (var option in env.Common.All) root.Options.Add(option);
        return root;
    }

    private static int Report(Exception e, TextWriter error, bool verbose, MethodFlags flags)
    {
        if (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        if (e is OperationCanceledException)
        {
            error.WriteLine("error: interrupted; earlier outputs are unchanged");
            return Interrupted;
        }
        var code = e is OccamException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException or UnauthorizedAccessException
            ? BadInput : Failed;
        if (e is Core.TrainingDivergedException) code = Failed;
        var message = OneLine(e.Message);
        if (e is ArgumentException { ParamName: { } param } && KnownFlag(flags, param) is { } option && !message.StartsWith("--", StringComparison.Ordinal))
            message = message.StartsWith(option + " ", StringComparison.Ordinal) ? "--" + message : $"--{option}: {message}";
        error.WriteLine($"error: {message}");
        if (verbose) error.WriteLine(e.ToString());
        return code;
    }

    /// <summary>The flag an exception's parameter name stands for: the flag itself, or an options property in PascalCase.</summary>
    private static string? KnownFlag(MethodFlags flags, string param)
    {
        if (flags.IsFlag(param)) return param;
        var kebab = Core.Options.OptionBinder.Kebab(param);
        return flags.IsFlag(kebab) ? kebab : null;
    }

    private static string OneLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var paramNote = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return paramNote > 0 ? line[..paramNote] : line;
    }
}

/// <summary>What every command handler receives: the console, the error stream, the shared options, the method registry and its flags, and the run's cancellation.</summary>
public sealed record CliEnvironment(IAnsiConsole Console, TextWriter Error, CommonOptions Common, Core.MethodRegistry Registry, MethodFlags MethodFlags,
    CancellationToken Cancellation = default);
