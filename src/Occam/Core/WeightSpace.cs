using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// The weights of any TorchSharp module seen as one flat vector θ ∈ ℝᴾ: the module's parameters in
/// <c>parameters()</c> order, each flattened row-major. It reads and writes θ and its gradient, runs the
/// module at one θ or at S stacked θ [S, P] (in one batched pass when the module implements
/// <see cref="IStackedForward"/>, else one pass per θ), and gives Jacobian-, Hessian- and GGN-vector
/// products (<see cref="JacobianVector"/>, <see cref="VectorJacobian"/>,
/// <see cref="HessianVector"/>, <see cref="GgnVector"/>). It is a view: it owns no tensors and never disposes
/// the module. Every method that returns a tensor returns a fresh one the caller owns, in the
/// parameters' dtype unless said otherwise.
/// </summary>
public sealed partial class WeightSpace
{
    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;
    private readonly nn.Module<Tensor, Tensor>? _module;

    private WeightSpace(nn.Module<Tensor, Tensor>? module, IEnumerable<Parameter> parameters)
    {
        _module = module;
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("The module has no parameters, so it has no weights to view.", nameof(parameters));
        var first = _parameters[0];
        if (_parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("All parameters must share one dtype and device to form one weight vector.", nameof(parameters));
        _offsets = new long[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++) _offsets[i + 1] = _offsets[i] + _parameters[i].numel();
    }

    /// <summary>The weight space of <paramref name="module"/> (all its parameters).</summary>
    /// <exception cref="ArgumentException">The module has no parameters, or they mix dtypes or devices.</exception>
    public static WeightSpace Of(nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new WeightSpace(module, module.parameters());
    }

    /// <summary>A weight space over a list of parameters without a module (for optimisers): no forward or products.</summary>
    public static WeightSpace Of(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new WeightSpace(null, parameters);
    }

    /// <summary>Number of weights P.</summary>
    public long Count => _offsets[^1];

    /// <summary>The parameters, in θ order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Where parameter i starts in θ (P at index <c>Parameters.Count</c>).</summary>
    public IReadOnlyList<long> Offsets => _offsets;

    /// <summary>The parameters' dtype (also θ's).</summary>
    public ScalarType DType => _parameters[0].dtype;

    /// <summary>The parameters' device.</summary>
    public Device Device => _parameters[0].device;

    /// <summary>The module whose weights these are.</summary>
    /// <exception cref="InvalidOperationException">The space was made from a parameter list.</exception>
    public nn.Module<Tensor, Tensor> Module => _module ?? throw new InvalidOperationException("This weight space was made from a parameter list and has no module to run.");

    /// <summary>A detached copy of θ, [P].</summary>
    public Tensor Get()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = _parameters.Select(p => p.detach().reshape(-1)).ToArray();
        return (parts.Length == 1 ? parts[0].clone() : cat(parts)).MoveToOuterDisposeScope();
    }

    /// <summary>Copies <paramref name="theta"/> [P] into the parameters (in place, outside autograd).</summary>
    public void Set(Tensor theta)
    {
        CheckVector(theta, nameof(theta));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
            _parameters[i].copy_(theta.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view(_parameters[i].shape));
    }

    /// <summary>The parameters' gradients as one vector [P] (zeros where a parameter has none).</summary>
    public Tensor Gradient()
    {
        using var scope = NewDisposeScope();
        var parts = _parameters.Select(p => p.grad is { } g ? g.reshape(-1) : zeros(p.numel(), p.dtype, p.device)).ToArray();
        return (parts.Length == 1 ? parts[0].clone() : cat(parts)).MoveToOuterDisposeScope();
    }

    /// <summary>Views of a flat buffer [P] shaped like each parameter (no copy: writes go to <paramref name="flat"/>).</summary>
    public Tensor[] Views(Tensor flat)
    {
        CheckVector(flat, nameof(flat));
        var views = new Tensor[_parameters.Length];
        for (int i = 0; i < views.Length; i++)
            views[i] = flat.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view(_parameters[i].shape).DetachFromDisposeScope();
        return views;
    }

    /// <summary>Writes θ into the module until the returned scope is disposed, which restores the previous weights (also when an exception flies).</summary>
    public IDisposable At(Tensor theta) => new WeightSwap(this, theta);

    /// <summary>The module's outputs at its current weights.</summary>
    public Tensor Forward(Tensor x) => Module.call(x);

    /// <summary>The module's outputs at weights <paramref name="theta"/> [P]; the module's own weights are restored afterwards.</summary>
    public Tensor Forward(Tensor theta, Tensor x)
    {
        using var swap = At(theta);
        return Module.call(x);
    }

    /// <summary>
    /// Outputs [S, N, ...] at S weight vectors <paramref name="thetas"/> [S, P], without gradients: one
    /// batched pass for an <see cref="IStackedForward"/> module, else one pass per θ with the module's
    /// weights restored afterwards. The module's training mode is used as it is.
    /// </summary>
    public Tensor ForwardMany(Tensor thetas, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(thetas);
        ArgumentNullException.ThrowIfNull(x);
        if (thetas.dim() != 2 || thetas.shape[1] != Count)
            throw new ArgumentException($"Expected weight vectors [S, {Count}]; got [{string.Join(", ", thetas.shape)}].", nameof(thetas));
        using var noGrad = no_grad();
        if (Module is IStackedForward { SupportsStackedForward: true } stacked) return stacked.ForwardAt(thetas.to_type(DType), x);
        using var scope = NewDisposeScope();
        var outputs = new Tensor[thetas.shape[0]];
        using (var original = new WeightSwap(this, null))
        {
            for (int s = 0; s < outputs.Length; s++)
            {
                Set(thetas[s]);
                outputs[s] = Module.call(x);
            }
        }
        return stack(outputs).MoveToOuterDisposeScope();
    }

    private void CheckVector(Tensor theta, string name)
    {
        ArgumentNullException.ThrowIfNull(theta, name);
        if (theta.dim() != 1 || theta.shape[0] != Count)
            throw new ArgumentException($"Expected a weight vector of length {Count}; got shape [{string.Join(", ", theta.shape)}].", name);
    }

    /// <summary>Keeps a copy of θ, optionally writes another, and restores the copy on dispose.</summary>
    private sealed class WeightSwap : IDisposable
    {
        private readonly WeightSpace _space;
        private Tensor? _saved;

        public WeightSwap(WeightSpace space, Tensor? theta)
        {
            _space = space;
            _saved = space.Get().DetachFromDisposeScope();
            if (theta is null) return;
            try
            {
                space.Set(theta);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (_saved is null) return;
            _space.Set(_saved);
            _saved.Dispose();
            _saved = null;
        }
    }
}
