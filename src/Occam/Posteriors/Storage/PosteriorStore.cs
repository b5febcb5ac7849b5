using System.Text.Json;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Posteriors.Storage;

/// <summary>
/// Writes and reads saved posteriors: a folder holding <c>posterior.json</c> (<see cref="PosteriorManifest"/>)
/// and <c>tensors.bin</c> (<see cref="TensorBundle"/>). Reading dispatches on the manifest's kind to the
/// loader the method registry holds for it, so a new posterior kind only registers its loader.
/// </summary>
public static class PosteriorStore
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestName = "posterior.json";

    /// <summary>The tensors' file name.</summary>
    public const string TensorsName = "tensors.bin";

    /// <summary>Writes a posterior's two files into <paramref name="directory"/> (created if needed); tensors are not disposed.</summary>
    public static void Write(string directory, PosteriorManifest manifest, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(directory);
        TensorBundle.Write(Path.Combine(directory, TensorsName), tensors);
        var path = Path.Combine(directory, ManifestName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(manifest, PosteriorManifest.Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Restores a saved posterior; custom networks need their spec in <paramref name="context"/>.</summary>
    /// <exception cref="DataFormatException">The folder holds no readable Occam posterior; the message names the file.</exception>
    public static IPosterior Load(string directory, LoadContext? context = null, MethodRegistry? registry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        context ??= new LoadContext();
        registry ??= MethodRegistry.Default;
        var manifest = ReadManifest(directory);
        var loader = registry.FindFormat(manifest.Kind)
            ?? throw new DataFormatException(Path.Combine(directory, ManifestName), null, null, $"unknown posterior kind '{manifest.Kind}'; known kinds: {string.Join(", ", registry.FormatKinds)}");
        var tensors = TensorBundle.Read(Path.Combine(directory, TensorsName));
        try
        {
            return loader(new StoredPosterior(directory, manifest, tensors), context, registry);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            throw new DataFormatException(Path.Combine(directory, ManifestName), null, null, $"the saved {manifest.Kind} posterior is incomplete ({e.Message})");
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Reads and checks <c>posterior.json</c>.</summary>
    public static PosteriorManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestName);
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "no saved posterior here (posterior.json is missing)");
        PosteriorManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PosteriorManifest>(File.ReadAllText(path), PosteriorManifest.Json);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, null, null, $"not a valid posterior manifest ({e.Message})");
        }
        if (manifest is null || manifest.Format != PosteriorManifest.FormatName)
            throw new DataFormatException(path, null, null, $"not an Occam posterior manifest (format '{manifest?.Format}')");
        if (manifest.FormatVersion != PosteriorManifest.CurrentVersion)
            throw new DataFormatException(path, null, null, $"posterior format version {manifest.FormatVersion}; this Occam reads version {PosteriorManifest.CurrentVersion}");
        return manifest;
    }
}

/// <summary>What loading a posterior may need from the caller.</summary>
/// <param name="Network">The spec of a custom network (e.g. the <see cref="Models.CustomSpec"/> it was fitted with), required for posteriors over user modules.</param>
/// <param name="Device">Device to load onto (default CPU).</param>
public sealed record LoadContext(Models.NetworkSpec? Network = null, Device? Device = null);

/// <summary>A saved posterior as read: its folder, manifest and tensors (valid during the loader's call only).</summary>
/// <param name="Directory">The folder.</param>
/// <param name="Manifest">The parsed manifest.</param>
/// <param name="Tensors">The named tensors (disposed after the loader returns: copy what you keep).</param>
public sealed record StoredPosterior(string Directory, PosteriorManifest Manifest, IReadOnlyDictionary<string, Tensor> Tensors)
{
    /// <summary>A copy of the tensor called <paramref name="name"/>.</summary>
    /// <exception cref="DataFormatException">It is missing.</exception>
    public Tensor Tensor(string name) => Tensors.TryGetValue(name, out var t)
        ? t.clone()
        : throw new DataFormatException(Path.Combine(Directory, PosteriorStore.TensorsName), null, null, $"missing tensor '{name}'");

    /// <summary>The tensors whose names start with <paramref name="prefix"/>, with the prefix removed (views, valid during the loader's call).</summary>
    public IReadOnlyDictionary<string, Tensor> WithPrefix(string prefix) =>
        Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
