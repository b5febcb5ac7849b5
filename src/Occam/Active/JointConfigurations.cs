using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// The label configurations ŷ₁…ₙ of the points already in a BatchBALD batch, each held as its likelihood
/// under every member, log Πᵢ pₛ(ŷᵢ | xᵢ) [S, K], with a weight. Exact: all Cⁿ configurations, weighted by
/// their probability p(ŷ) = (1/S) Σₛ Πᵢ pₛ(ŷᵢ). Sampled: K configurations drawn from p(ŷ) (a member s uniformly,
/// then each label from pₛ), weighted 1/K, as in Kirsch et al. (2019). Either way the joint entropy of the
/// batch plus a candidate j is H = Σₖ wₖ · (−Σ_c rₖ꜀ (log rₖ꜀ + log p(ŷₖ))), with rₖ꜀ = p(ŷₖ, y_j = c) / p(ŷₖ)
/// = Σₛ πₛₖ pₛ(c | x_j) and πₛₖ the members' normalised likelihoods of configuration k (stable at any scale).
/// All tensors are float64; the object owns them.
/// </summary>
public sealed class JointConfigurations : IDisposable
{
    private const long ElementsPerChunk = 1 << 22; // K × candidates × C values per product, bounding memory

    private Tensor _logLikelihood; // [S, K]
    private bool _disposed;

    private JointConfigurations(Tensor logLikelihood, bool exact)
    {
        _logLikelihood = logLikelihood.DetachFromDisposeScope();
        IsExact = exact;
    }

    /// <summary>The empty batch: one configuration of likelihood 1 under every member.</summary>
    public static JointConfigurations Empty(long members) => new(zeros(members, 1, ScalarType.Float64), exact: true);

    /// <summary>Whether the configurations are all Cⁿ of them (false: sampled).</summary>
    public bool IsExact { get; private set; }

    /// <summary>Number of configurations K.</summary>
    public long Count => _logLikelihood.shape[1];

    /// <summary>Adds a point with member probabilities [S, C] by enumerating its classes (K → K·C configurations).</summary>
    public void Extend(Tensor memberProbabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsExact) throw new InvalidOperationException("Sampled configurations are redrawn with Resample, not extended.");
        using var scope = NewDisposeScope();
        var log = memberProbabilities.to_type(ScalarType.Float64).clamp_min(1e-300).log(); // [S, C]
        var next = (_logLikelihood.unsqueeze(2) + log.unsqueeze(1)).reshape(_logLikelihood.shape[0], -1);
        Replace(next);
    }

    /// <summary>
    /// Replaces the configurations by <paramref name="count"/> draws from the joint predictive of the points with
    /// member probabilities <paramref name="points"/> (each [S, C]), using <paramref name="random"/>.
    /// </summary>
    public void Resample(IReadOnlyList<Tensor> points, int count, Generator random)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(points);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"Need at least one configuration; got {count}.");
        using var scope = NewDisposeScope();
        long members = _logLikelihood.shape[0];
        var member = randint(members, [count], generator: random, dtype: ScalarType.Int64); // [K]
        var log = zeros(members, count, ScalarType.Float64);
        foreach (var p in points)
        {
            var probabilities = p.to_type(ScalarType.Float64);
            var labels = probabilities.index_select(0, member).multinomial(1, true, random).squeeze(1); // [K]
            log = log + probabilities.clamp_min(1e-300).log().index_select(1, labels); // [S, K]
        }
        Replace(log);
        IsExact = false;
    }

    /// <summary>
    /// Joint entropies H(ŷ₁…ₙ, y_j) in nats of the configurations with each candidate j, whose member
    /// probabilities are <paramref name="candidates"/> [S, M, C]; returns float64 [M] the caller owns.
    /// </summary>
    public Tensor Entropies(Tensor candidates)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.dim() != 3 || candidates.shape[0] != _logLikelihood.shape[0])
            throw new ArgumentException($"Candidates must be [{_logLikelihood.shape[0]}, M, C]; got [{string.Join(", ", candidates.shape)}].", nameof(candidates));
        using var scope = NewDisposeScope();
        long s = candidates.shape[0], m = candidates.shape[1], c = candidates.shape[2], k = Count;
        var probabilities = candidates.to_type(ScalarType.Float64);
        var responsibilities = _logLikelihood.softmax(0).t(); // [K, S]
        var logMarginal = (_logLikelihood.logsumexp(0) - Math.Log(s)).view(k, 1, 1); // log p(ŷₖ)
        var weights = IsExact ? logMarginal.view(k, 1).exp() : full(k, 1, 1.0 / k, ScalarType.Float64);
        long chunk = Math.Max(1, ElementsPerChunk / Math.Max(1, k * c));
        var parts = new List<Tensor>();
        for (long start = 0; start < m; start += chunk)
        {
            long n = Math.Min(chunk, m - start);
            var ratio = responsibilities.mm(probabilities.narrow(1, start, n).reshape(s, n * c)).view(k, n, c);
            var bracket = -(ratio * (ratio.clamp_min(1e-300).log() + logMarginal)).sum(2); // [K, n]
            parts.Add((weights * bracket).sum(new long[] { 0 }));
        }
        return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
    }

    private void Replace(Tensor next)
    {
        var old = _logLikelihood;
        _logLikelihood = next.DetachFromDisposeScope();
        old.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _logLikelihood.Dispose();
    }
}
