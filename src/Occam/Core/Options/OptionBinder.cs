using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Occam.Core.Options;

/// <summary>
/// Binds text values (from a command line or a plan file) to an options record by reflection: every
/// public property with an init or set accessor is an option named in kebab case (or by
/// <see cref="OptionNameAttribute"/>), described by its <see cref="DescriptionAttribute"/>. Supported
/// types: numbers, bool, string, enums (kebab-case names or <see cref="OptionAliasAttribute"/>), their
/// nullable forms, and comma-separated arrays of numbers.
/// </summary>
public static class OptionBinder
{
    /// <summary>The options of <paramref name="defaults"/>' record type, with their defaults.</summary>
    public static IReadOnlyList<OptionDescriptor> Describe(object defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<OptionIgnoreAttribute>() is null && p.Name != "EqualityContract")
            .Select(p => new OptionDescriptor(
                p.GetCustomAttribute<OptionNameAttribute>()?.Name ?? Kebab(p.Name), p,
                p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? p.Name,
                Show(p.GetValue(defaults))))
            .ToArray();
    }

    /// <summary>
    /// A copy of <paramref name="defaults"/> with the named options set from text. Unknown names are
    /// refused with the list of known ones; a value that does not parse names the option.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value (ParamName: the option name).</exception>
    public static T Bind<T>(T defaults, IReadOnlyDictionary<string, string> values) where T : class
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(values);
        var options = Describe(defaults).ToDictionary(o => o.Name);
        var copy = Clone(defaults);
        foreach (var (name, text) in values)
        {
            if (!options.TryGetValue(name, out var option))
                throw new ArgumentException($"unknown option '{name}'; this method takes: {string.Join(", ", options.Keys)}", name);
            option.Property.SetValue(copy, Parse(option.Property.PropertyType, text, name));
        }
        return copy;
    }

    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="type"/> for the option <paramref name="option"/>.</summary>
    /// <exception cref="ArgumentException">It does not parse; the message names the option and what was expected.</exception>
    public static object? Parse(Type type, string text, string option)
    {
        var inner = Nullable.GetUnderlyingType(type);
        if (inner is not null) return string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : Parse(inner, text, option);
        var t = (text ?? "").Trim();
        object? value = type switch
        {
            _ when type == typeof(string) => t,
            _ when type == typeof(int) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when type == typeof(double) => ParseDouble(t),
            _ when type == typeof(bool) => t.ToLowerInvariant() switch { "" or "true" or "yes" or "1" => true, "false" or "no" or "0" => false, _ => null },
            _ when type.IsEnum => ParseEnum(type, t),
            _ when type.IsArray => ParseArray(type.GetElementType()!, t, option),
            _ => throw new NotSupportedException($"Option '{option}' has the unsupported type {type.Name}."),
        };
        return value ?? throw new ArgumentException($"{option} expects {Expected(type)}; got '{text}'", option);
    }

    /// <summary>PascalCase to kebab-case ("SubnetworkSize" → "subnetwork-size").</summary>
    public static string Kebab(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])))) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>The options of <paramref name="options"/> as "name=value" pairs separated by commas (for reports and saved settings); "" for null.</summary>
    public static string Summary(object? options) =>
        options is null ? "" : string.Join(", ", Describe(options).Select(d => $"{d.Name}={Show(d.Property.GetValue(options))}"));

    /// <summary>A value as option text (enums in kebab case, arrays comma-separated, null as "none").</summary>
    public static string Show(object? value) => value switch
    {
        null => "none",
        Enum e => Kebab(e.ToString()),
        double d => d.ToString("G", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Array a => string.Join(",", a.Cast<object>().Select(Show)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? ParseDouble(string t)
    {
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase)) return double.PositiveInfinity;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? d : null;
    }

    private static object? ParseEnum(Type type, string t)
    {
        var key = t.Replace("-", "").Replace("_", "");
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) return field.GetValue(null);
            if (field.GetCustomAttribute<OptionAliasAttribute>() is { } alias && alias.Names.Any(n => n.Equals(t, StringComparison.OrdinalIgnoreCase))) return field.GetValue(null);
        }
        return null;
    }

    private static object? ParseArray(Type element, string t, string option)
    {
        var parts = t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) return null;
        var array = Array.CreateInstance(element, parts.Length);
        for (int i = 0; i < parts.Length; i++) array.SetValue(Parse(element, parts[i], option), i);
        return array;
    }

    private static string Expected(Type type)
    {
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(Kebab));
        if (type == typeof(int) || type == typeof(long)) return "an integer";
        if (type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type.IsArray) return $"a comma-separated list of {Expected(type.GetElementType()!)}s";
        return "a value";
    }

    private static T Clone<T>(T record) where T : class
    {
        var clone = record.GetType().GetMethod("<Clone>$") ?? throw new NotSupportedException($"{record.GetType().Name} is not a record; options must be records.");
        return (T)clone.Invoke(record, null)!;
    }
}
