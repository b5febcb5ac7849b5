using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>
/// S draws of latent logits f ~ N(μₙ, Σₙ) per input, turned into member log-probabilities
/// log softmax(f) only when first asked for. A closed-form classification predictive (probit) needs the
/// members only for entropy, expected entropy and mutual information, so predicting class probabilities
/// costs no sampling. The draws are fixed at construction by a seed: every call of <see cref="Draw"/>
/// returns the same members, and slicing or joining keeps each input's draws unchanged. Holds float64
/// copies of the means and covariances, which it disposes.
/// </summary>
internal sealed class LatentLogitDraws : IDisposable
{
    /// <summary>
    /// A run of inputs whose standard normals come from one generator: the draw for the whole run has
    /// <paramref name="DrawCount"/> inputs, of which this segment keeps [Offset, Offset + n).
    /// </summary>
    private sealed record Segment(Tensor Mean, Tensor Covariance, long Seed, long DrawCount, long Offset) : IDisposable
    {
        public long Count => Mean.shape[0];

        public Segment Narrow(long start, long length) =>
            new(Mean.narrow(0, start, length).clone().DetachFromDisposeScope(), Covariance.narrow(0, start, length).clone().DetachFromDisposeScope(), Seed, DrawCount, Offset + start);

        public Segment Copy() => Narrow(0, Count);

        public void Dispose()
        {
            Mean.Dispose();
            Covariance.Dispose();
        }
    }

    private readonly List<Segment> _segments;

    private LatentLogitDraws(List<Segment> segments, int samples, int width)
    {
        _segments = segments;
        Samples = samples;
        Width = width;
        Count = segments.Sum(s => s.Count);
    }

    /// <summary>Draws for latent means [N, C] and covariances [N, C, C] (copied as float64), seeded by <paramref name="seed"/>.</summary>
    public static LatentLogitDraws Create(Tensor mean, Tensor covariance, int samples, long seed)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Latent samples must be at least 1; got {samples}.");
        if (mean.dim() != 2 || covariance.dim() != 3 || covariance.shape[0] != mean.shape[0] || covariance.shape[1] != mean.shape[1] || covariance.shape[2] != mean.shape[1])
            throw new ArgumentException($"Latent means must be [N, C] and covariances [N, C, C]; got [{string.Join(", ", mean.shape)}] and [{string.Join(", ", covariance.shape)}].");
        var segment = new Segment(mean.to(ScalarType.Float64, copy: true).DetachFromDisposeScope(), covariance.to(ScalarType.Float64, copy: true).DetachFromDisposeScope(), seed, mean.shape[0], 0);
        return new LatentLogitDraws([segment], samples, (int)mean.shape[1]);
    }

    /// <summary>Latent samples S per input.</summary>
    public int Samples { get; }

    /// <summary>Inputs N.</summary>
    public long Count { get; }

    /// <summary>Classes C.</summary>
    public int Width { get; }

    /// <summary>The member log-probabilities [S, N, C], float64; the caller owns the tensor.</summary>
    public Tensor Draw()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = _segments.Where(s => s.Count > 0).Select(DrawSegment).ToArray();
        if (parts.Length == 0) return zeros(new long[] { Samples, 0, Width }, dtype: ScalarType.Float64).MoveToOuterDisposeScope();
        return (parts.Length == 1 ? parts[0] : cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The draws of inputs [start, start + length), unchanged; the caller owns the result.</summary>
    public LatentLogitDraws Slice(long start, long length)
    {
        var kept = new List<Segment>();
        long offset = 0;
        foreach (var segment in _segments)
        {
            long from = Math.Max(start, offset), to = Math.Min(start + length, offset + segment.Count);
            if (to > from) kept.Add(segment.Narrow(from - offset, to - from));
            offset += segment.Count;
        }
        return new LatentLogitDraws(kept, Samples, Width);
    }

    /// <summary>Draws of consecutive input batches joined along N, each input's draws unchanged; the caller owns the result.</summary>
    public static LatentLogitDraws Join(IReadOnlyList<LatentLogitDraws> batches)
    {
        if (batches.Any(b => b.Samples != batches[0].Samples || b.Width != batches[0].Width))
            throw new ArgumentException("Joined latent draws must share the sample count and the number of classes.", nameof(batches));
        return new LatentLogitDraws(batches.SelectMany(b => b._segments.Select(s => s.Copy())).ToList(), batches[0].Samples, batches[0].Width);
    }

    private Tensor DrawSegment(Segment segment)
    {
        var variance = segment.Covariance.diagonal(0, 1, 2);
        // Per-input jitter, so an input's draws do not depend on the other inputs in its batch.
        var jitter = eye(Width, dtype: ScalarType.Float64, device: segment.Mean.device) * (1e-9 * variance.mean(new long[] { 1 }, keepdim: true) + 1e-12).unsqueeze(-1);
        var chol = linalg.cholesky(segment.Covariance + jitter);
        using var generator = new Generator(unchecked((ulong)segment.Seed));
        var z = randn(new long[] { Samples, segment.DrawCount, Width }, dtype: ScalarType.Float64, generator: generator)
            .to(segment.Mean.device).narrow(1, segment.Offset, segment.Count);
        // One [C, C] × [C, S] product per input (N batched products), not S × N matrix-vector products.
        var draws = chol.matmul(z.permute(1, 2, 0)).permute(2, 0, 1);
        return (segment.Mean.unsqueeze(0) + draws).log_softmax(-1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var segment in _segments) segment.Dispose();
        _segments.Clear();
    }
}
