using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Distributed;

namespace Occam.Cli;

/// <summary>
/// Turns a planned command's options into the plan's argument list and back: the plan keeps every option
/// the user gave (in the command's option order, so equal runs give equal plans), and workers parse
/// those arguments with the very options of <c>fit</c>, <c>bench uci</c>, <c>bench mnist</c> or <c>active</c>.
/// </summary>
internal static class PlannedArguments
{
    /// <summary>The planned commands.</summary>
    public const string Fit = "fit", BenchUci = "bench uci", BenchMnist = "bench mnist", Active = "active";

    /// <summary>
    /// The tokens of every option given on <paramref name="parsed"/>'s command line, in <paramref name="order"/>, leaving out
    /// <paramref name="excluded"/>; the values of <paramref name="paths"/> become full paths, so workers started elsewhere find them.
    /// </summary>
    public static List<string> Canonical(ParseResult parsed, IEnumerable<Option> order, IReadOnlyCollection<Option> excluded, IReadOnlyCollection<Option> paths)
    {
        var tokens = new List<string>();
        foreach (var option in order)
        {
            if (excluded.Contains(option) || parsed.GetResult(option) is not { Implicit: false } result) continue;
            if (result.Tokens.Count == 0)
            {
                tokens.Add(option.Name);
                continue;
            }
            foreach (var token in result.Tokens)
            {
                tokens.Add(option.Name);
                tokens.Add(paths.Contains(option) ? Path.GetFullPath(token.Value) : token.Value);
            }
        }
        return tokens;
    }

    /// <summary>A planned fit's arguments, parsed with fit's options.</summary>
    public static (FitArguments Args, ParseResult Parsed) ParseFit(CliEnvironment env, TaskStore store) =>
        Parse(store, "fit", common => new FitArguments(env, common), (a, c) => a.AddTo(c));

    /// <summary>A planned UCI benchmark's arguments, parsed with bench uci's options.</summary>
    public static (BenchUciArguments Args, ParseResult Parsed) ParseBenchUci(CliEnvironment env, TaskStore store) =>
        Parse(store, "uci", common => new BenchUciArguments(env, common), (a, c) => a.AddTo(c));

    /// <summary>A planned MNIST benchmark's arguments, parsed with bench mnist's options.</summary>
    public static (BenchMnistArguments Args, ParseResult Parsed) ParseBenchMnist(CliEnvironment env, TaskStore store) =>
        Parse(store, "mnist", common => new BenchMnistArguments(env, common), (a, c) => a.AddTo(c));

    /// <summary>A planned active-learning run's arguments, parsed with active's options.</summary>
    public static (ActiveArguments Args, ParseResult Parsed) ParseActive(CliEnvironment env, TaskStore store) =>
        Parse(store, "active", common => new ActiveArguments(env, common), (a, c) => a.AddTo(c));

    /// <summary>Builds the command's options on fresh common options and parses the plan's arguments with them.</summary>
    private static (T Args, ParseResult Parsed) Parse<T>(TaskStore store, string name, Func<CommonOptions, T> create, Action<T, Command> addTo)
    {
        var common = new CommonOptions();
        var args = create(common);
        var command = new Command(name);
        addTo(args, command);
        return (args, Parse(command, common, store));
    }

    private static ParseResult Parse(Command command, CommonOptions common, TaskStore store)
    {
        foreach (var o in common.All) command.Options.Add(o);
        var parsed = command.Parse([.. store.Plan.Arguments, "--seed", store.Plan.Seed.ToString(CultureInfo.InvariantCulture)]);
        if (parsed.Errors.Count > 0)
            throw new DataFormatException(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null,
                $"the planned {store.Plan.Command} arguments do not parse: {parsed.Errors[0].Message.Split('\n')[0]}");
        return parsed;
    }
}
