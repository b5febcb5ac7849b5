using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// Standard normal noise for every block of a sampler in one draw: one flat buffer per (dtype, device)
/// group, filled in place by <see cref="Draw"/>, with a view of it shaped like each block. A step then costs
/// one random fill instead of an allocation and a draw per parameter tensor.
/// </summary>
public sealed class NoiseBuffer : IDisposable
{
    private readonly Tensor[] _flats;
    private readonly Tensor[] _views;

    /// <summary>Allocates the buffers for <paramref name="blocks"/> (their dtypes and devices; nothing is copied).</summary>
    public NoiseBuffer(IReadOnlyList<Tensor> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var groups = Enumerable.Range(0, blocks.Count)
            .GroupBy(i => (blocks[i].dtype, blocks[i].device.ToString()))
            .ToArray();
        _flats = new Tensor[groups.Length];
        _views = new Tensor[blocks.Count];
        using var noGrad = no_grad();
        for (int g = 0; g < groups.Length; g++)
        {
            var first = blocks[groups[g].First()];
            long total = groups[g].Sum(i => blocks[i].numel());
            var flat = empty(new[] { total }, first.dtype, first.device).DetachFromDisposeScope();
            _flats[g] = flat;
            long offset = 0;
            foreach (int i in groups[g])
            {
                long count = blocks[i].numel();
                _views[i] = flat.narrow(0, offset, count).view(blocks[i].shape).DetachFromDisposeScope();
                offset += count;
            }
        }
    }

    /// <summary>
    /// Fills the buffers with fresh N(0, 1) draws from <paramref name="random"/> and returns the per-block views,
    /// in the order of the blocks given to the constructor. The views are owned by this buffer and overwritten by
    /// the next draw.
    /// </summary>
    public IReadOnlyList<Tensor> Draw(Generator random)
    {
        using var noGrad = no_grad();
        foreach (var flat in _flats) flat.normal_(0, 1, random);
        return _views;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var v in _views) v.Dispose();
        foreach (var f in _flats) f.Dispose();
    }
}
