using Occam.Core;
using Occam.Data;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors.Storage;

/// <summary>
/// Stores a network as its flat weights θ (<see cref="WeightSpace"/> order) and its buffers (e.g.
/// batch-norm statistics), and rebuilds it from its spec, so any module, Occam's or a user's, saves the
/// same way.
/// </summary>
public static class NetworkStore
{
    /// <summary>Copies of the network's θ and buffers under <paramref name="prefix"/> (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Tensors(nn.Module<Tensor, Tensor> network, string prefix = "network.")
    {
        ArgumentNullException.ThrowIfNull(network);
        var result = new Dictionary<string, Tensor> { [prefix + "theta"] = WeightSpace.Of(network).Get().cpu() };
        foreach (var (name, buffer) in network.named_buffers())
            result[prefix + "buffer." + name] = buffer.detach().cpu().clone();
        return result;
    }

    /// <summary>Builds a single-member network from <paramref name="spec"/> and writes the stored θ and buffers into it.</summary>
    /// <exception cref="DataFormatException">The stored weights do not fit the rebuilt network.</exception>
    public static nn.Module<Tensor, Tensor> Rebuild(NetworkSpec spec, ModelFrame frame, StoredPosterior stored, Device device, string prefix = "network.")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(stored);
        var network = spec.Create(frame.InputShape, frame.Outputs, 1, 0);
        try
        {
            network.to(device);
            var space = WeightSpace.Of(network);
            using var theta = stored.Tensor(prefix + "theta");
            if (theta.dim() != 1 || theta.shape[0] != space.Count)
                throw new DataFormatException(Path.Combine(stored.Directory, PosteriorStore.TensorsName), null, null,
                    $"the stored network has {theta.numel()} weights but {spec.Describe()} has {space.Count}: it is not the network this posterior was fitted with");
            space.Set(theta.to(device).to_type(space.DType));
            using var noGrad = no_grad();
            foreach (var (name, buffer) in network.named_buffers())
                if (stored.Tensors.TryGetValue(prefix + "buffer." + name, out var value)) buffer.copy_(value);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
