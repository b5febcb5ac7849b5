using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Occam.Reporting;

/// <summary>
/// Writes results as indented JSON with snake_case property names (<c>TestLlMean</c> → <c>"test_ll_mean"</c>),
/// enums as snake_case strings, and undefined numbers (NaN, ±Infinity) as JSON null, so every reader
/// parses the file. Files are written atomically.
/// </summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Serialises <paramref name="value"/> with the report conventions.</summary>
    /// <typeparam name="T">The value's type (records and plain classes with public properties serialise well).</typeparam>
    /// <param name="value">The value to serialise.</param>
    /// <returns>Indented JSON without a trailing newline.</returns>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads JSON written with the report conventions back into <typeparamref name="T"/> (null numbers become NaN).</summary>
    /// <exception cref="JsonException">The text is not JSON of that shape.</exception>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>Atomically writes <paramref name="value"/> as JSON (plus a trailing newline) to <paramref name="path"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="path">The file to write; its parent directory is created when missing.</param>
    /// <param name="value">The value to serialise.</param>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value) + "\n");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            // Reports are files for people and scripts, not HTML: keep "±", "é" and the like readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new FiniteOrNull());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes a finite double as a number and NaN or ±Infinity as null.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        public override bool HandleNull => true;
    }
}
