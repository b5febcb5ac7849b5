using static TorchSharp.torch;

namespace Occam.Core.Collectors;

/// <summary>
/// Keeps running moments of a vector read from the run's state at each kept step: the mean and,
/// optionally, the mean of squares (float64, [P]). SWA's average and SWAG's diagonal are these.
/// </summary>
public sealed class MomentCollector : IRunCollector<object>, IDisposable
{
    private readonly Func<Tensor> _read;
    private readonly bool _second;
    private Tensor? _mean;
    private Tensor? _square;

    /// <summary>Creates the collector.</summary>
    /// <param name="read">Returns the current vector [P] (e.g. <see cref="WeightSpace.Get"/>); the collector disposes what it returns.</param>
    /// <param name="secondMoment">Also keep the mean of squares.</param>
    public MomentCollector(Func<Tensor> read, bool secondMoment = false)
    {
        _read = read ?? throw new ArgumentNullException(nameof(read));
        _second = secondMoment;
    }

    /// <summary>How many vectors were averaged.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    public void Collect(object state, StepContext context)
    {
        using var scope = NewDisposeScope();
        var x = _read().to_type(ScalarType.Float64);
        Count++;
        double weight = 1.0 / Count; // running mean: m ← m + (x − m)/n
        if (_mean is null) _mean = x.clone().DetachFromDisposeScope();
        else _mean.add_((x - _mean).mul_(weight));
        if (!_second) return;
        var sq = x.square();
        if (_square is null) _square = sq.clone().DetachFromDisposeScope();
        else _square.add_((sq - _square).mul_(weight));
    }

    /// <summary>A copy of the running mean [P] (float64).</summary>
    /// <exception cref="InvalidOperationException">Nothing was collected.</exception>
    public Tensor Mean() => _mean?.clone() ?? throw new InvalidOperationException("No state was collected: the run ended before its burn-in did.");

    /// <summary>A copy of the running mean of squares [P] (float64).</summary>
    public Tensor MeanOfSquares() => _square?.clone() ?? throw new InvalidOperationException("No second moment was collected.");

    /// <inheritdoc />
    public void Dispose()
    {
        _mean?.Dispose();
        _square?.Dispose();
    }
}
