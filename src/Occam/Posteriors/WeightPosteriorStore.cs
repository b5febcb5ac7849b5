using Occam.Core;
using Occam.Posteriors.Storage;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>Saves and restores <see cref="WeightPosterior"/>s (kind "weights"): the network, the likelihood and the distribution's stored form.</summary>
public static class WeightPosteriorStore
{
    /// <summary>The stored posterior kind.</summary>
    public const string Kind = "weights";

    /// <summary>Writes <paramref name="posterior"/> into <paramref name="directory"/>.</summary>
    public static void Save(WeightPosterior posterior, string directory)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        var stored = posterior.Distribution.Store();
        var tensors = NetworkStore.Tensors(posterior.Network);
        foreach (var (name, t) in stored.Tensors) tensors["distribution." + name] = t;
        try
        {
            var payload = new Payload(NetworkSpecDto.From(posterior.Spec), LikelihoodDto.From(posterior.Likelihood), stored.Kind, stored.Settings.ToDictionary());
            PosteriorStore.Write(directory, new PosteriorManifest(Kind, posterior.Method, posterior.Seed, posterior.Frame, PosteriorManifest.ToPayload(payload)), tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Restores a saved weight posterior (the registry's loader of kind "weights").</summary>
    public static WeightPosterior Load(StoredPosterior stored, LoadContext context, MethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(registry);
        var payload = stored.Manifest.ReadPayload<Payload>();
        var spec = payload.Network.ToSpec(context.Network);
        var device = context.Device ?? CPU;
        var load = registry.FindDistribution(payload.Distribution)
            ?? throw new Data.DataFormatException(Path.Combine(stored.Directory, PosteriorStore.ManifestName), null, null, $"unknown weight distribution '{payload.Distribution}'");
        var network = NetworkStore.Rebuild(spec, stored.Manifest.Frame, stored, device);
        var likelihood = payload.Likelihood.ToLikelihood();
        IWeightDistribution? distribution = null;
        try
        {
            distribution = load(stored.WithPrefix("distribution."), payload.Settings);
            return new WeightPosterior(stored.Manifest.Method, stored.Manifest.Frame, spec, network, likelihood, distribution, stored.Manifest.Seed);
        }
        catch
        {
            network.Dispose();
            likelihood.Dispose();
            distribution?.Dispose();
            throw;
        }
    }

    private sealed record Payload(NetworkSpecDto Network, LikelihoodDto Likelihood, string Distribution, Dictionary<string, double> Settings);
}
