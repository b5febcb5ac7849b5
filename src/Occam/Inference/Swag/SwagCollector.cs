using Occam.Core;
using Occam.Core.Collectors;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// What SWAG keeps of the iterates at the steps a run collects (Maddox et al. 2019, Algorithm 1): the
/// running first and second moments (a <see cref="MomentCollector"/>) and the last K deviations
/// Dᵢ = θᵢ − θ̄ᵢ from the running mean after the update, in a ring (float64). A stacked network's
/// M members are read as one vector [M·P]: moments are element-wise, so member m's moments and
/// deviations are its slice [m·P, (m + 1)·P).
/// </summary>
public sealed class SwagCollector : IRunCollector<object>, IDisposable
{
    private readonly Func<Tensor> _read;
    private readonly MomentCollector _moments;
    private readonly int _maxRank;
    private Tensor? _current;
    private Tensor? _ring;

    /// <summary>Creates the collector.</summary>
    /// <param name="read">Returns the current weights (e.g. <see cref="WeightSpace.Get"/>); the collector disposes what it returns.</param>
    /// <param name="maxRank">K, the most deviations kept (0 keeps none: SWAG-diagonal).</param>
    public SwagCollector(Func<Tensor> read, int maxRank)
    {
        _read = read ?? throw new ArgumentNullException(nameof(read));
        if (maxRank < 0) throw new ArgumentOutOfRangeException(nameof(maxRank), $"The rank must be non-negative; got {maxRank}.");
        _maxRank = maxRank;
        _moments = new MomentCollector(() => _current!.alias(), secondMoment: true);
    }

    /// <summary>How many iterates were collected.</summary>
    public long Count => _moments.Count;

    /// <summary>K′, the deviations held: min(collected, K).</summary>
    public int Rank => (int)Math.Min(Count, _maxRank);

    /// <inheritdoc />
    public void Collect(object state, StepContext context)
    {
        using var scope = NewDisposeScope();
        var theta = _read().to_type(ScalarType.Float64);
        _current = theta;
        try
        {
            _moments.Collect(state, context);
        }
        finally
        {
            _current = null;
        }
        if (_maxRank == 0) return;
        var deviation = theta - _moments.Mean();
        if (_ring is null)
        {
            _ring = zeros(new long[] { _maxRank, theta.shape[0] }, ScalarType.Float64, theta.device);
            _ring.DetachFromDisposeScope();
        }
        _ring[(Count - 1) % _maxRank].copy_(deviation);
    }

    /// <summary>θ̄, the mean of the collected iterates [M·P] (float64, a copy).</summary>
    /// <exception cref="InvalidOperationException">Nothing was collected.</exception>
    public Tensor Mean() => _moments.Mean();

    /// <summary>The mean of squares [M·P] (float64, a copy).</summary>
    public Tensor MeanOfSquares() => _moments.MeanOfSquares();

    /// <summary>
    /// The diagonal covariance Σ_diag = mean of squares − θ̄², floored at <paramref name="floor"/> [M·P]
    /// (float64, fresh).
    /// </summary>
    public Tensor Variance(double floor)
    {
        using var scope = NewDisposeScope();
        var mean = _moments.Mean();
        return (_moments.MeanOfSquares() - mean.square()).clamp_min(floor).MoveToOuterDisposeScope();
    }

    /// <summary>The K′ deviations held, oldest first, as rows [K′, M·P] (float64, fresh); [0, M·P] when none.</summary>
    public Tensor Deviations()
    {
        using var scope = NewDisposeScope();
        if (_ring is null) return zeros(new long[] { 0, Mean().shape[0] }, ScalarType.Float64).MoveToOuterDisposeScope();
        int k = Rank;
        long next = Count % _maxRank; // the oldest row once the ring has wrapped
        var order = Count <= _maxRank ? arange(k) : cat(new[] { arange(next, _maxRank), arange(0, next) });
        return _ring.index_select(0, order.to(_ring.device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _moments.Dispose();
        _ring?.Dispose();
    }
}
