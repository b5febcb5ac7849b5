using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.GaussianProcesses.DeepKernel;

/// <summary>
/// Adam (Kingma &amp; Ba 2015; β₁ = 0.9, β₂ = 0.999, ε = 1e-8) over leaf tensors of any dtype: network
/// parameters and the raw tensors of GP hyperparameters, which are not module parameters. Owns its moment
/// buffers; the tensors it trains are not owned.
/// </summary>
internal sealed class TensorAdam : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly IReadOnlyList<Tensor> _tensors;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private readonly double _learningRate;
    private int _step;

    public TensorAdam(IReadOnlyList<Tensor> tensors, double learningRate)
    {
        _tensors = tensors;
        _learningRate = learningRate;
        _first = tensors.Select(t => zeros_like(t).DetachFromDisposeScope()).ToArray();
        _second = tensors.Select(t => zeros_like(t).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Clears the gradients of the trained tensors.</summary>
    public void ZeroGrad()
    {
        foreach (var t in _tensors)
        {
            using var grad = t.grad;   // a new handle on every read
            if (grad is not null) using (grad.zero_()) { }
        }
    }

    /// <summary>One update from the current gradients (tensors without a gradient are left alone).</summary>
    public void Step()
    {
        _step++;
        double c1 = 1 - Math.Pow(Beta1, _step), c2 = 1 - Math.Pow(Beta2, _step);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _tensors.Count; i++)
        {
            using var grad = _tensors[i].grad;
            if (grad is null) continue;
            _first[i].mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            _second[i].mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denominator = (_second[i] / c2).sqrt_().add_(Epsilon);
            _tensors[i].addcdiv_(_first[i], denominator, value: -_learningRate / c1);
        }
    }

    public void Dispose()
    {
        foreach (var t in _first) t.Dispose();
        foreach (var t in _second) t.Dispose();
    }
}
