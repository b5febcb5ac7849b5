using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// SGD or Adam on the flat weights [K, P] of <see cref="StackedNetworks"/>, one step count for all members
/// (they start together); its moment buffers follow the members when some are dropped. Owns its buffers.
/// </summary>
internal sealed class MemberOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly StudyOptimizer _kind;
    private readonly double _learningRate;
    private Tensor? _first;
    private Tensor? _second;
    private int _step;

    public MemberOptimizer(StudyOptimizer kind, double learningRate, StackedNetworks networks)
    {
        _kind = kind;
        _learningRate = learningRate;
        if (kind == StudyOptimizer.Adam)
        {
            _first = zeros_like(networks.Theta).DetachFromDisposeScope();
            _second = zeros_like(networks.Theta).DetachFromDisposeScope();
        }
    }

    /// <summary>Updates θ in place from the gradient [K, P] (which may be overwritten).</summary>
    public void Step(Tensor theta, Tensor gradient)
    {
        _step++;
        if (_kind == StudyOptimizer.Sgd)
        {
            theta.add_(gradient, alpha: -_learningRate);
            return;
        }
        double c1 = 1 - Math.Pow(Beta1, _step), c2 = 1 - Math.Pow(Beta2, _step);
        _first!.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
        _second!.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
        var denominator = gradient.copy_(_second).sqrt_().add_(Epsilon * Math.Sqrt(c2));   // reuse the gradient's buffer
        theta.addcdiv_(_first, denominator, value: -_learningRate * Math.Sqrt(c2) / c1);
    }

    /// <summary>Keeps the buffers of the members at <paramref name="index"/>.</summary>
    public void Keep(Tensor index)
    {
        if (_first is null) return;
        var first = _first.index_select(0, index).DetachFromDisposeScope();
        var second = _second!.index_select(0, index).DetachFromDisposeScope();
        _first.Dispose();
        _second.Dispose();
        (_first, _second) = (first, second);
    }

    public void Dispose()
    {
        _first?.Dispose();
        _second?.Dispose();
    }
}
