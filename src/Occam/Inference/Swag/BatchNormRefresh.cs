using Occam.Core;
using Occam.Posteriors.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// Re-estimates a network's batch-normalisation running statistics for a given weight vector, as SWAG
/// does for every sample (Maddox et al. 2019): reset the running mean and variance, run a fixed subset
/// of standardised training inputs through the network with only the BatchNorm layers in training mode,
/// and weight each batch so that the statistics are the cumulative average over the subset (PyTorch's
/// momentum = None). Holds the subset (float32, [M, ...]), which a saved posterior stores.
/// </summary>
public sealed class BatchNormRefresh : IDisposable
{
    private readonly Tensor _inputs;

    /// <summary>Takes over <paramref name="inputs"/> [M, ...] (standardised, the network's input shape).</summary>
    /// <param name="inputs">The subset.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    public BatchNormRefresh(Tensor inputs, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() < 2 || inputs.shape[0] < 2) throw new ArgumentException($"Batch statistics need at least 2 inputs [M, ...]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1; got {batchSize}.");
        _inputs = inputs.detach().DetachFromDisposeScope();
        BatchSize = batchSize;
    }

    /// <summary>Examples per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>M, the examples of the subset.</summary>
    public long Count => _inputs.shape[0];

    /// <summary>Whether <paramref name="module"/> has BatchNorm layers that track running statistics.</summary>
    public static bool Applies(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Layers(module).Any();
    }

    /// <summary>
    /// A refresh over <paramref name="examples"/> inputs drawn without replacement from <paramref name="inputs"/>
    /// (all when fewer) with a generator seeded by <paramref name="seed"/>, or null when
    /// <paramref name="module"/> has no BatchNorm layers.
    /// </summary>
    public static BatchNormRefresh? For(nn.Module module, Tensor inputs, int examples, int batchSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!Applies(module)) return null;
        using var scope = NewDisposeScope();
        long n = inputs.shape[0], m = Math.Min(n, examples);
        var order = randperm(n, generator: new Generator(unchecked((ulong)seed))).narrow(0, 0, m).to(inputs.device);
        return new BatchNormRefresh(inputs.index_select(0, order).MoveToOuterDisposeScope(), batchSize);
    }

    /// <summary>A copy of the subset (for storage; the caller disposes it).</summary>
    public Tensor Inputs() => _inputs.clone();

    /// <summary>Recomputes the running statistics of <paramref name="module"/>'s BatchNorm layers at its current weights, in place.</summary>
    public void Refresh(nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var layers = Layers(module).ToArray();
        var modes = layers.Select(l => (l.training, l.momentum)).ToArray();
        using var noGrad = no_grad();
        try
        {
            foreach (var layer in layers)
            {
                layer.running_mean!.zero_();
                layer.running_var!.fill_(1);
                layer.num_batches_tracked?.zero_();
                layer.train();
            }
            var inputs = _inputs.to(module.parameters().First().device);
            long seen = 0, start = 0;
            while (start < Count)
            {
                using var scope = NewDisposeScope();
                long b = Math.Min(BatchSize, Count - start);
                if (Count - start - b == 1) b++; // a last batch of one example has no batch variance: fold it into this one
                foreach (var layer in layers) layer.momentum = b / (double)(seen + b); // cumulative average, weighted by batch size
                module.call(inputs.narrow(0, start, b));
                seen += b;
                start += b;
            }
            if (!ReferenceEquals(inputs, _inputs)) inputs.Dispose();
        }
        finally
        {
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i].train(modes[i].training);
                layers[i].momentum = modes[i].momentum;
            }
        }
    }

    /// <summary>Draws at <paramref name="thetas"/> [S, P] with statistics re-estimated for each (takes over <paramref name="thetas"/>).</summary>
    public WeightDraws Draws(WeightSpace space, Tensor thetas) => new BatchNormDraws(space, thetas, this);

    /// <inheritdoc />
    public void Dispose() => _inputs.Dispose();

    private static IEnumerable<BatchNorm> Layers(nn.Module module) =>
        module.modules().OfType<BatchNorm>().Where(l => l.track_running_stats && l.running_mean is not null && l.running_var is not null);
}
