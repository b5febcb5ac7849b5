using System.Text.Json;
using Occam.Data;
using Occam.Models;

namespace Occam.Inference.Variational;

/// <summary>
/// Saves and restores a <see cref="DiagonalGaussianPosterior"/>: <c>posterior.json</c> (kind
/// "diagonal-gaussian", method, architecture, likelihood, standardisation, prediction mode),
/// <c>mean.bin</c> (the network at m) and <c>sd.bin</c> (the same network's state holding σ).
/// Files are written under temporary names and renamed.
/// </summary>
internal static class DiagonalGaussianStore
{
    /// <summary>The manifest's <c>kind</c> that routes <see cref="PosteriorStore.Load"/> here.</summary>
    public const string Kind = "diagonal-gaussian";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Save(DiagonalGaussianPosterior posterior, string directory)
    {
        Directory.CreateDirectory(directory);
        var d = posterior.Description;
        var manifest = new Manifest(Kind, posterior.Method, posterior.Task.ToString(), posterior.Seed, posterior.Samples, posterior.Prediction.ToString(),
            d.InputShape, d.Outputs, d.Width, NetworkSpecDto.From(d.Spec), LikelihoodDto.From(posterior.Likelihood), posterior.Standardiser);
        WriteState(posterior.Network, Path.Combine(directory, "mean.bin"));
        using (var sd = posterior.StandardDeviation())
        using (var swap = new WeightSwap(posterior.Network, sd))
            WriteState(posterior.Network, Path.Combine(directory, "sd.bin"));
        var path = Path.Combine(directory, "posterior.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(manifest, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static DiagonalGaussianPosterior Load(string directory)
    {
        var path = Path.Combine(directory, "posterior.json");
        Manifest m;
        try
        {
            m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json) ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, null, null, $"not a valid posterior manifest ({e.Message})");
        }
        foreach (var file in new[] { "mean.bin", "sd.bin" })
            if (!File.Exists(Path.Combine(directory, file))) throw new DataFormatException(Path.Combine(directory, file), null, null, "missing file of a saved Gaussian posterior");
        var spec = m.Spec.ToSpec();
        var network = spec.Create(m.InputShape, m.Outputs, 1, 0);
        try
        {
            network.load(Path.Combine(directory, "sd.bin"));
            var sd = FlatParameters.Get(network);
            network.load(Path.Combine(directory, "mean.bin"));
            var description = new NetworkDescription(m.InputShape, m.Outputs, m.Width, spec);
            return new DiagonalGaussianPosterior(m.Method, Enum.Parse<TaskKind>(m.Task), network, m.Likelihood.ToLikelihood(1), sd,
                m.Standardiser, description, m.Samples, Enum.Parse<GaussianPrediction>(m.Prediction), m.Seed);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void WriteState(TorchSharp.torch.nn.Module network, string path)
    {
        network.save(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private sealed record Manifest(string Kind, string Method, string Task, long Seed, int Samples, string Prediction, long[] InputShape,
        int Outputs, int Width, NetworkSpecDto Spec, LikelihoodDto Likelihood, Standardiser Standardiser);
}
