using System.Text.Json;
using System.Text.Json.Serialization;

namespace Occam.Posteriors.Storage;

/// <summary>
/// The JSON half of a saved posterior (<c>posterior.json</c>): the format and its version, the
/// posterior kind that picks the loader, the method name, the default seed, the model frame, and the
/// kind's own payload. The tensors live beside it in <c>tensors.bin</c> (<see cref="TensorBundle"/>).
/// </summary>
/// <param name="Kind">The posterior kind (e.g. "weights", "laplace"), which picks the loader.</param>
/// <param name="Method">The method that produced it.</param>
/// <param name="Seed">Default seed of sampling at prediction time.</param>
/// <param name="Frame">Task, input shape, outputs and standardisation.</param>
/// <param name="Payload">The kind's own settings (e.g. network, likelihood, distribution).</param>
public sealed record PosteriorManifest(string Kind, string Method, long Seed, ModelFrame Frame, JsonElement Payload)
{
    /// <summary>The format name written into every manifest.</summary>
    public const string FormatName = "occam-posterior";

    /// <summary>The manifest format version this Occam writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The format version (<see cref="CurrentVersion"/> when written by this Occam).</summary>
    public int FormatVersion { get; init; } = CurrentVersion;

    /// <summary>The JSON settings every store uses: snake_case names, enums as strings, indented.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A payload record as JSON.</summary>
    public static JsonElement ToPayload<T>(T payload) => JsonSerializer.SerializeToElement(payload, Json);

    /// <summary>The payload as a record of type <typeparamref name="T"/>.</summary>
    public T ReadPayload<T>() => Payload.Deserialize<T>(Json) ?? throw new JsonException("empty payload");
}
