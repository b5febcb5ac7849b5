using System.Globalization;
using Occam.Core;
using Occam.Posteriors.Storage;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// Saves and restores <see cref="WeightMixturePosterior"/>s (kind "weight-mixture"): the network, and for
/// each member its likelihood and its distribution's stored form (tensors under "member{k}.").
/// </summary>
public static class WeightMixtureStore
{
    /// <summary>The stored posterior kind.</summary>
    public const string Kind = "weight-mixture";

    /// <summary>Writes <paramref name="posterior"/> into <paramref name="directory"/>.</summary>
    public static void Save(WeightMixturePosterior posterior, string directory)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        var tensors = NetworkStore.Tensors(posterior.Network);
        try
        {
            var members = new List<MemberDto>();
            for (int k = 0; k < posterior.Members.Count; k++)
            {
                var stored = posterior.Members[k].Distribution.Store();
                foreach (var (name, t) in stored.Tensors) tensors[Prefix(k) + name] = t;
                members.Add(new MemberDto(LikelihoodDto.From(posterior.Members[k].Likelihood), stored.Kind, stored.Settings.ToDictionary()));
            }
            var payload = new Payload(NetworkSpecDto.From(posterior.Spec), members);
            PosteriorStore.Write(directory, new PosteriorManifest(Kind, posterior.Method, posterior.Seed, posterior.Frame, PosteriorManifest.ToPayload(payload)), tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Restores a saved mixture (the registry's loader of kind "weight-mixture").</summary>
    public static WeightMixturePosterior Load(StoredPosterior stored, LoadContext context, MethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(registry);
        var payload = stored.Manifest.ReadPayload<Payload>();
        if (payload.Members is not { Count: > 0 })
            throw new Data.DataFormatException(Path.Combine(stored.Directory, PosteriorStore.ManifestName), null, null, "the saved mixture has no members");
        var spec = payload.Network.ToSpec(context.Network);
        var loaders = payload.Members.Select(m => registry.FindDistribution(m.Distribution)
            ?? throw new Data.DataFormatException(Path.Combine(stored.Directory, PosteriorStore.ManifestName), null, null, $"unknown weight distribution '{m.Distribution}'")).ToList();
        var network = NetworkStore.Rebuild(spec, stored.Manifest.Frame, stored, context.Device ?? CPU);
        var members = new List<MixtureMember>();
        try
        {
            for (int k = 0; k < loaders.Count; k++)
            {
                var likelihood = payload.Members[k].Likelihood.ToLikelihood();
                IWeightDistribution distribution;
                try
                {
                    distribution = loaders[k](stored.WithPrefix(Prefix(k)), payload.Members[k].Settings);
                }
                catch
                {
                    likelihood.Dispose();
                    throw;
                }
                members.Add(new MixtureMember(likelihood, distribution));
            }
            return new WeightMixturePosterior(stored.Manifest.Method, stored.Manifest.Frame, spec, network, members, stored.Manifest.Seed);
        }
        catch
        {
            network.Dispose();
            foreach (var m in members)
            {
                m.Likelihood.Dispose();
                m.Distribution.Dispose();
            }
            throw;
        }
    }

    private static string Prefix(int member) => string.Create(CultureInfo.InvariantCulture, $"member{member}.");

    private sealed record MemberDto(LikelihoodDto Likelihood, string Distribution, Dictionary<string, double> Settings);

    private sealed record Payload(NetworkSpecDto Network, List<MemberDto> Members);
}
