using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

public sealed partial class Predictive
{
    /// <summary>
    /// Categorical members drawn from latent Gaussians on first use (see <see cref="LatentLogitDraws"/>),
    /// with closed-form class probabilities [N, C]. Takes ownership of <paramref name="draws"/>;
    /// copies <paramref name="probabilities"/>.
    /// </summary>
    internal static Predictive LatentClassification(LatentLogitDraws draws, Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(draws);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.dim() != 2 || probabilities.shape[0] != draws.Count || probabilities.shape[1] != draws.Width)
            throw new ArgumentException($"Probabilities must be [{draws.Count}, {draws.Width}]; got [{string.Join(", ", probabilities.shape)}].", nameof(probabilities));
        using var scope = NewDisposeScope();
        return new Predictive(draws, probabilities);
    }

    /// <summary>A predictive made of the members of several predictives (e.g. batches of samples), concatenated along S.</summary>
    public static Predictive Concatenate(IReadOnlyList<Predictive> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("Need at least one predictive.", nameof(parts));
        var task = parts[0].Task;
        if (parts.Any(p => p.Task != task)) throw new ArgumentException("Cannot mix regression and classification predictives.", nameof(parts));
        using var scope = NewDisposeScope();
        var a = cat(parts.Select(p => p.A).ToArray(), 0);
        var b = task == TaskKind.Regression ? cat(parts.Select(p => p._b!).ToArray(), 0) : null;
        var c = parts.Any(p => p._c is not null) ? cat(parts.Select(p => p._c ?? zeros_like(p.A)).ToArray(), 0) : null;
        Tensor? probabilities = null;
        if (parts.Any(p => p._p is not null))
        {
            long total = parts.Sum(p => (long)p.MemberCount);
            probabilities = parts.Select(p => (p._p ?? p.A.exp().mean(new long[] { 0 })) * ((double)p.MemberCount / total)).Aggregate((x, y) => x + y);
        }
        return new Predictive(task, a, b, c, probabilities);
    }

    /// <summary>The predictive restricted to inputs [start, start + length); latent draws stay undrawn and unchanged.</summary>
    public Predictive Slice(long start, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        if (_draws is not null) return new Predictive(_draws.Slice(start, length), _p!.narrow(0, start, length));
        return new Predictive(Task, A.narrow(1, start, length), _b?.narrow(1, start, length), _c?.narrow(1, start, length), _p?.narrow(0, start, length));
    }

    /// <summary>Predictives of consecutive input batches joined along N; latent draws stay undrawn and unchanged.</summary>
    public static Predictive Join(IReadOnlyList<Predictive> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("Need at least one predictive.", nameof(batches));
        if (batches.Count == 1) return batches[0].Slice(0, batches[0].Count);
        using var scope = NewDisposeScope();
        if (batches.All(p => p._draws is not null))
            return new Predictive(LatentLogitDraws.Join(batches.Select(p => p._draws!).ToArray()), cat(batches.Select(p => p._p!).ToArray(), 0));
        var task = batches[0].Task;
        var a = cat(batches.Select(p => p.A).ToArray(), 1);
        var b = task == TaskKind.Regression ? cat(batches.Select(p => p._b!).ToArray(), 1) : null;
        var c = batches.Any(p => p._c is not null) ? cat(batches.Select(p => p._c ?? zeros_like(p.A)).ToArray(), 1) : null;
        var probabilities = batches.Any(p => p._p is not null) ? cat(batches.Select(p => p._p ?? p.A.exp().mean(new long[] { 0 })).ToArray(), 0) : null;
        return new Predictive(task, a, b, c, probabilities);
    }
}
