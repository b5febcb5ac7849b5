using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// Weights carried from one fit to the next, so a refit starts where the last one ended instead of from a
/// fresh initialisation (active learning's warm start). The k-th network a fit trains (counted from
/// <see cref="StartFit"/>) starts from the weights the k-th network of the previous fit ended at, when
/// their sizes match. Weights are kept as float32 CPU copies the store owns.
/// </summary>
public sealed class WarmStart : IDisposable
{
    private readonly Dictionary<int, Tensor> _weights = [];
    private int _next;
    private bool _disposed;

    /// <summary>Networks whose final weights are held.</summary>
    public int Count => _weights.Count;

    /// <summary>Networks trained since <see cref="StartFit"/> that reported their weights.</summary>
    public int RememberedThisFit { get; private set; }

    /// <summary>Starts counting the networks of a new fit from zero.</summary>
    public void StartFit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _next = 0;
        RememberedThisFit = 0;
    }

    /// <summary>
    /// Called by a method right after building a network and before training it: writes the held weights
    /// of this slot into <paramref name="network"/> when there are some of the same size. Returns the slot.
    /// </summary>
    public int Begin(nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int slot = _next++;
        if (_weights.TryGetValue(slot, out var theta))
        {
            var space = WeightSpace.Of(network);
            if (theta.numel() == space.Count)
            {
                using var scope = NewDisposeScope();
                space.Set(theta.to(space.Device).to_type(space.DType));
            }
        }
        return slot;
    }

    /// <summary>Called by a method after training the network of <paramref name="slot"/>: keeps a copy of its weights.</summary>
    public void Remember(int slot, nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        var theta = WeightSpace.Of(network).Get().to(CPU).to_type(ScalarType.Float32).DetachFromDisposeScope();
        if (_weights.Remove(slot, out var old)) old.Dispose();
        _weights[slot] = theta;
        RememberedThisFit++;
    }

    /// <summary>The held weights by slot (float32 [P] each; the store keeps ownership), e.g. to save them.</summary>
    public IReadOnlyDictionary<int, Tensor> Weights => _weights;

    /// <summary>Replaces the held weights with copies of <paramref name="weights"/> (e.g. loaded from a saved state).</summary>
    public void Load(IReadOnlyDictionary<int, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var t in _weights.Values) t.Dispose();
        _weights.Clear();
        foreach (var (slot, theta) in weights)
            _weights[slot] = theta.to(CPU).to_type(ScalarType.Float32).flatten().clone().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _weights.Values) t.Dispose();
        _weights.Clear();
    }
}
