using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Occam.Distributed;

/// <summary>
/// Writes ordered maps, lists, strings, integers and booleans as block-style YAML. Strings are always
/// double-quoted with JSON escapes (valid YAML), lists of scalars are written in flow style.
/// </summary>
public static class YamlText
{
    /// <summary>The YAML text of <paramref name="map"/>, ending in a newline.</summary>
    public static string Write(OrderedDictionary<string, object> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var text = new StringBuilder();
        WriteMap(text, map, 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, OrderedDictionary<string, object> map, int indent, bool firstInline = false)
    {
        bool first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && firstInline)) text.Append(' ', indent);
            first = false;
            text.Append(Key(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, object value, int indent)
    {
        switch (value)
        {
            case OrderedDictionary<string, object> { Count: 0 }:
                text.Append(" {}\n");
                return;
            case OrderedDictionary<string, object> inner:
                text.Append('\n');
                WriteMap(text, inner, indent + 2);
                return;
            case List<object> list when list.All(IsScalar):
                text.Append(" [").Append(string.Join(", ", list.Select(Scalar))).Append("]\n");
                return;
            case List<object> list:
                text.Append('\n');
                foreach (var item in list)
                {
                    text.Append(' ', indent + 2).Append("- ");
                    if (item is OrderedDictionary<string, object> m && m.Count > 0) WriteMap(text, m, indent + 4, firstInline: true);
                    else text.Append(Scalar(item)).Append('\n');
                }
                return;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                return;
        }
    }

    private static bool IsScalar(object value) => value is string or int or long or bool;

    private static string Scalar(object value) => value switch
    {
        string s => JsonSerializer.Serialize(s),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => throw new NotSupportedException($"YAML of a {value.GetType().Name} is not supported."),
    };

    private static string Key(string key) => key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/') ? key : JsonSerializer.Serialize(key);
}
