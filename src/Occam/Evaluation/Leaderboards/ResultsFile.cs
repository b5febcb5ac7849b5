using System.Text.Json;
using Occam.Data;
using Occam.Reporting;

namespace Occam.Evaluation.Leaderboards;

/// <summary>The rows of one results file of <c>occam bench uci</c> (or of <c>occam combine</c> on a planned <c>bench uci</c>).</summary>
/// <param name="Source">The file or folder as the user named it.</param>
/// <param name="Rows">Its rows, in file order.</param>
public sealed record ResultsFile(string Source, IReadOnlyList<UciRow> Rows)
{
    /// <summary>The file name <c>bench uci</c> writes its rows to.</summary>
    public const string FileName = "results.json";

    private const string Expected = "expected the JSON array of rows that occam bench uci writes";

    private static readonly string[] Numbers = ["test_ll_mean", "test_ll_se", "rmse_mean", "rmse_se", "coverage95_mean", "seconds"];

    /// <summary>
    /// Reads <paramref name="path"/>: a results.json file, or a folder holding one. Every row must carry dataset and method
    /// (non-empty text), splits (a positive integer) and test_ll_mean, test_ll_se, rmse_mean, rmse_se, coverage95_mean and
    /// seconds (numbers, or null for an undefined value); evidence_per_point and convergence are optional.
    /// </summary>
    /// <exception cref="DataFormatException">The path is missing, cannot be read, is not JSON, not an array of such rows, or holds no rows; the message names the file.</exception>
    public static ResultsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = path;
        if (Directory.Exists(path))
        {
            file = Path.Combine(path, FileName);
            if (!File.Exists(file)) throw new DataFormatException(path, null, null, $"is a folder without {FileName}; expected a results.json of occam bench uci or a folder holding one");
        }
        else if (!File.Exists(path))
        {
            throw new DataFormatException(path, null, null, "not found; expected a results.json of occam bench uci or a folder holding one");
        }
        using var document = Parse(file);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array) throw new DataFormatException(file, null, null, $"holds a JSON {Kind(root)}; {Expected}");
        if (root.GetArrayLength() == 0) throw new DataFormatException(file, null, null, $"holds no rows; {Expected}");
        var rows = new List<UciRow>();
        int index = 0;
        foreach (var element in root.EnumerateArray()) rows.Add(Row(file, ++index, element));
        return new ResultsFile(path, rows);
    }

    private static JsonDocument Parse(string file)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            int? line = e.LineNumber is { } l ? (int)l + 1 : null;
            int? column = e.BytePositionInLine is { } c ? (int)c + 1 : null;
            throw new DataFormatException(file, line, column, $"not valid JSON ({Reason(e)}); {Expected}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(file, null, null, $"cannot be read ({e.Message})");
        }
    }

    private static UciRow Row(string file, int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(file, null, null, $"row {index} is a JSON {Kind(element)}; {Expected}");
        foreach (var name in (string[])["dataset", "method"])
        {
            var value = Property(file, index, element, name);
            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                throw Bad(file, index, name, value, "a non-empty text");
        }
        var splits = Property(file, index, element, "splits");
        if (splits.ValueKind != JsonValueKind.Number || !splits.TryGetInt32(out int count) || count < 1)
            throw Bad(file, index, "splits", splits, "a positive integer");
        foreach (var name in Numbers)
        {
            var value = Property(file, index, element, name);
            if (value.ValueKind != JsonValueKind.Number && value.ValueKind != JsonValueKind.Null)
                throw Bad(file, index, name, value, "a number or null");
            if (name.EndsWith("_se", StringComparison.Ordinal) && value.ValueKind == JsonValueKind.Number && value.GetDouble() < 0)
                throw Bad(file, index, name, value, "a standard error, at least 0");
        }
        try
        {
            return JsonReport.Deserialize<UciRow>(element.GetRawText())!;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(file, null, null, $"row {index}: {Reason(e)}; {Expected}");
        }
    }

    private static JsonElement Property(string file, int index, JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) ? value
            : throw new DataFormatException(file, null, null, $"row {index} has no \"{name}\"; {Expected} (dataset, method, splits, test_ll_mean, test_ll_se, rmse_mean, rmse_se, coverage95_mean, seconds)");

    private static DataFormatException Bad(string file, int index, string name, JsonElement value, string expected) =>
        new(file, null, null, $"row {index}: \"{name}\" is {Shown(value)}; expected {expected}");

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number => value.GetRawText(),
        _ => "a JSON " + Kind(value),
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>The parser's reason without its position note (the message names the line and column already).</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).TrimEnd('.', ' ');
    }
}
