using System.CommandLine;
using Occam.Data;
using Occam.Data.Tables;

namespace Occam.Cli;

/// <summary>The options that say how a CSV file becomes a dataset (<see cref="TableOptions"/>); they apply to CSV files only.</summary>
public sealed class TableFlags
{
    /// <summary>--target.</summary>
    public Option<string?> Target { get; } = new("--target") { Description = "CSV: target column, by header name or 0-based index (eval and predict: the model's by default)" };

    /// <summary>--task.</summary>
    public Option<TaskKind?> Task { get; } = new("--task") { Description = "CSV: regression or classification (default: classification for text labels or 2-20 distinct integers)" };

    /// <summary>--categorical.</summary>
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "CSV: one-hot encoded feature columns: auto (every text column; default), none, or a comma-separated list" };

    /// <summary>--drop.</summary>
    public Option<string?> Drop { get; } = new("--drop") { Description = "CSV: comma-separated columns to leave out" };

    /// <summary>--features.</summary>
    public Option<string?> Features { get; } = new("--features") { Description = "CSV: comma-separated feature columns to use, in this order (default: all but the target)" };

    /// <summary>--missing.</summary>
    public Option<string?> Missing { get; } = new("--missing") { Description = "CSV: rows with a missing value (empty, NA, NaN, null, ?): error (default) or drop-rows" };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [Target, Task, Categorical, Drop, Features, Missing];

    /// <summary>The flags of these that the user gave.</summary>
    public IEnumerable<string> Given(ParseResult parsed) => All.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    /// <summary>The table options these describe.</summary>
    /// <exception cref="ArgumentException">No --target, or a bad list.</exception>
    public TableOptions Options(ParseResult parsed)
    {
        var target = parsed.GetValue(Target);
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("a CSV file needs --target (column name or 0-based index)");
        var categorical = parsed.GetValue(Categorical)?.Trim();
        return new TableOptions
        {
            Target = target,
            Task = parsed.GetValue(Task),
            Categorical = categorical is null || categorical.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
                : categorical.Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : List(categorical, "--categorical"),
            Drop = parsed.GetValue(Drop) is { } drop ? List(drop, "--drop") : [],
            Features = parsed.GetValue(Features) is { } features ? List(features, "--features") : null,
            Missing = parsed.GetValue(Missing) is { } missing ? (MissingValues)Core.Options.OptionBinder.Parse(typeof(MissingValues), missing, "--missing")! : MissingValues.Error,
        };
    }

    private static string[] List(string text, string option)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0)) throw new ArgumentException($"{option} expects column names separated by commas; got '{text}'");
        return names;
    }
}
