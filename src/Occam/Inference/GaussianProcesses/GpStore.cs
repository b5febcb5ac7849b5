using Occam.Models;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Saves and restores GP posteriors (kind "gp"): the payload is the <see cref="GpState"/> (model kind,
/// kernel spec and trained raw hyperparameters, noise, classification settings, the feature network's
/// spec); the tensors are the training inputs and targets in standardised units, the inducing inputs of
/// sparse models and, for deep kernels, the feature network (θ and buffers). Loading rebuilds the model
/// at the stored hyperparameters through the same path as fitting, so predictions agree.
/// </summary>
internal static class GpStore
{
    /// <summary>The stored posterior kind.</summary>
    public const string Kind = "gp";

    public static void Save(GpPosterior posterior, string directory)
    {
        var tensors = posterior.Network is { } network ? NetworkStore.Tensors(network) : new Dictionary<string, Tensor>();
        tensors["inputs"] = posterior.StoredInputs.clone();
        tensors["targets"] = posterior.StoredTargets.clone();
        if (posterior.StoredInducing is { } z) tensors["inducing"] = z.clone();
        try
        {
            PosteriorStore.Write(directory, new PosteriorManifest(Kind, posterior.Method, posterior.Seed, posterior.Frame, PosteriorManifest.ToPayload(posterior.State)), tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public static GpPosterior Load(StoredPosterior stored, LoadContext context)
    {
        var state = stored.Manifest.ReadPayload<GpState>();
        var frame = stored.Manifest.Frame;
        NetworkSpec? spec = null;
        nn.Module<Tensor, Tensor>? network = null;
        if (state.Network is { } dto)
        {
            spec = dto.ToSpec(context.Network);
            network = NetworkStore.Rebuild(spec, frame with { Outputs = state.Features }, stored, CPU);
        }
        using var inputs = stored.Tensor("inputs");
        using var targets = stored.Tensor("targets");
        using var inducing = stored.Tensors.ContainsKey("inducing") ? stored.Tensor("inducing") : null;
        return GpPosterior.Create(stored.Manifest.Method, frame, state, inputs, targets, inducing, spec, network, stored.Manifest.Seed);
    }
}
