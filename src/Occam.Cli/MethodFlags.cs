using System.CommandLine;
using Occam.Core;
using Occam.Core.Options;

namespace Occam.Cli;

/// <summary>
/// The command-line flags of every registered method's options, generated from the registry: one flag
/// per option name (shared by the methods that have it, e.g. --samples). A flag the chosen methods do not
/// take is refused by name, never ignored.
/// </summary>
public sealed class MethodFlags
{
    private readonly MethodRegistry _registry;
    private readonly Dictionary<string, Option<string?>> _flags = new(StringComparer.Ordinal);

    /// <summary>Builds the flags of <paramref name="registry"/>'s methods.</summary>
    public MethodFlags(MethodRegistry registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        foreach (var group in registry.Methods.SelectMany(m => m.Options.Select(o => (Method: m.Name, Option: o))).GroupBy(x => x.Option.Name))
        {
            var first = group.First().Option;
            var methods = group.Select(x => x.Method).Distinct().ToList();
            var choices = first.Choices.Count > 0 ? $" [{string.Join("|", first.Choices)}]" : "";
            var flag = new Option<string?>("--" + group.Key)
            {
                Description = $"{first.Description}{choices} (methods: {Abbreviate(methods)})",
                Arity = first.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            _flags.Add(group.Key, flag);
        }
    }

    /// <summary>All the flags.</summary>
    public IEnumerable<Option> All => _flags.Values;

    /// <summary>Whether <paramref name="name"/> (without dashes) is a method flag.</summary>
    public bool IsFlag(string name) => _flags.ContainsKey(name);

    /// <summary>The method flags the user gave, name → text ("" for a bare switch).</summary>
    public IReadOnlyDictionary<string, string> Given(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, flag) in _flags)
            if (parsed.GetResult(flag) is { Implicit: false } result)
                given[name] = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        return given;
    }

    /// <summary>
    /// The options of each selected method with the given flags that method takes. A given flag that
    /// none of the selected methods takes is refused with the methods that do take it.
    /// </summary>
    /// <exception cref="ArgumentException">A flag no selected method takes, or a bad value (ParamName: the option).</exception>
    public IReadOnlyList<IMethodOptions> Bind(IReadOnlyList<MethodEntry> selected, IReadOnlyDictionary<string, string> given)
    {
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(given);
        foreach (var name in given.Keys)
        {
            if (selected.Any(m => m.Takes(name))) continue;
            var takers = _registry.Methods.Where(m => m.Takes(name)).Select(m => m.Name).ToList();
            throw new ArgumentException($"--{name} does not apply to {string.Join(", ", selected.Select(m => m.Name).Distinct())}; it is an option of {Abbreviate(takers)}", name);
        }
        return selected.Select(m => m.Bind(given.Where(kv => m.Takes(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value))).ToList();
    }

    private static string Abbreviate(IReadOnlyList<string> methods) =>
        methods.Count <= 4 ? string.Join(", ", methods) : $"{string.Join(", ", methods.Take(3))} and {methods.Count - 3} more";
}
