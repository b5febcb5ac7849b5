using System.Text.Json;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;

namespace Occam.Inference;

/// <summary>
/// Saves and restores fitted posteriors: <c>posterior.json</c> (method, task, architecture,
/// likelihood, standardisation) plus one <c>member-i.bin</c> TorchSharp state file per network.
/// Files are written under temporary names and renamed, so a failed save leaves no half-written model.
/// </summary>
public static class PosteriorStore
{
    private const string ManifestName = "posterior.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes a network posterior to <paramref name="directory"/>.</summary>
    public static void Save(NetworkPosterior posterior, string directory)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var manifest = new Manifest(posterior.Method, posterior.Task.ToString(), posterior.Passes, posterior.Seed,
            posterior.Description.InputShape, posterior.Description.Outputs, posterior.Description.Width,
            NetworkSpecDto.From(posterior.Description.Spec), posterior.Standardiser,
            posterior.Members.Select(m => new MemberDto(m.Stacked, m.Stacked ? ((Mlp)m.Network).Members : 1, LikelihoodDto.From(m.Likelihood))).ToArray());
        for (int i = 0; i < posterior.Members.Count; i++)
        {
            var path = Path.Combine(directory, $"member-{i}.bin");
            var temp = path + ".tmp";
            posterior.Members[i].Network.save(temp);
            File.Move(temp, path, overwrite: true);
        }
        var manifestPath = Path.Combine(directory, ManifestName);
        File.WriteAllText(manifestPath + ".tmp", JsonSerializer.Serialize(manifest, Json));
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
    }

    /// <summary>Restores a posterior saved by <see cref="IPosterior.Save"/> (network methods and Laplace).</summary>
    /// <exception cref="DataFormatException">The folder holds no readable Occam posterior.</exception>
    public static IPosterior Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath)) throw new DataFormatException(manifestPath, null, null, "no saved posterior here (run `occam fit ... --out DIR` first)");
        Manifest manifest;
        try
        {
            var text = File.ReadAllText(manifestPath);
            using (var document = JsonDocument.Parse(text))
            {
                if (document.RootElement.TryGetProperty("method", out var method) && method.GetString() == "laplace")
                    return Laplace.LaplaceStore.Load(directory);
                if (document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == Variational.DiagonalGaussianStore.Kind)
                    return Variational.DiagonalGaussianStore.Load(directory);
            }
            manifest = JsonSerializer.Deserialize<Manifest>(text, Json) ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(manifestPath, null, null, $"not a valid posterior manifest ({e.Message})");
        }
        var task = Enum.Parse<TaskKind>(manifest.Task);
        var spec = manifest.Spec.ToSpec();
        var members = new List<NetworkMember>();
        for (int i = 0; i < manifest.Members.Length; i++)
        {
            var m = manifest.Members[i];
            var network = spec.Create(manifest.InputShape, manifest.Outputs, m.Count, 0);
            var weights = Path.Combine(directory, $"member-{i}.bin");
            if (!File.Exists(weights)) throw new DataFormatException(weights, null, null, "missing network weights");
            network.load(weights);
            members.Add(new NetworkMember(network, m.Likelihood.ToLikelihood(m.Count), m.Stacked));
        }
        var description = new NetworkDescription(manifest.InputShape, manifest.Outputs, manifest.Width, spec);
        return new NetworkPosterior(manifest.Method, task, members, manifest.Standardiser, description, manifest.Passes, manifest.Seed);
    }

    private sealed record Manifest(string Method, string Task, int Passes, long Seed, long[] InputShape, int Outputs, int Width,
        NetworkSpecDto Spec, Standardiser Standardiser, MemberDto[] Members);

    private sealed record MemberDto(bool Stacked, int Count, LikelihoodDto Likelihood);
}
