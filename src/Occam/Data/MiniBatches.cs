using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Seeded mini-batch index streams. One epoch is a random permutation of 0..N−1 cut into batches
/// (the last batch may be smaller). For K members trained together, each member gets its own
/// permutation and a batch is an index matrix [K, B].
/// </summary>
public sealed class MiniBatches
{
    private readonly long _count;
    private readonly int _batchSize;
    private readonly int _members;
    private readonly Generator _generator;

    /// <summary>Creates the stream for <paramref name="count"/> examples.</summary>
    /// <param name="count">Number of examples N (≥ 1).</param>
    /// <param name="batchSize">Batch size B (≥ 1); capped at N.</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <param name="members">Number of independent shuffles K (≥ 1).</param>
    public MiniBatches(long count, int batchSize, long seed, int members = 1)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "Need at least one training example.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size must be at least 1; got {batchSize}.");
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"Members must be at least 1; got {members}.");
        _count = count;
        _batchSize = (int)Math.Min(batchSize, count);
        _members = members;
        _generator = new Generator((ulong)seed);
    }

    /// <summary>Batches per epoch: ⌈N / B⌉.</summary>
    public int BatchesPerEpoch => (int)((_count + _batchSize - 1) / _batchSize);

    /// <summary>
    /// The index batches of one epoch: int64 [B] (one member) or [K, B]. Each yielded tensor is
    /// owned by the caller.
    /// </summary>
    public IEnumerable<Tensor> NextEpoch()
    {
        Tensor order;
        using (NewDisposeScope())
        {
            order = _members == 1
                ? randperm(_count, generator: _generator, dtype: ScalarType.Int64)
                : rand(new long[] { _members, _count }, generator: _generator).argsort(1);
            order.MoveToOuterDisposeScope();
        }
        using (order)
        {
            for (long start = 0; start < _count; start += _batchSize)
            {
                var length = Math.Min(_batchSize, _count - start);
                yield return order.narrow(-1, start, length);
            }
        }
    }
}
