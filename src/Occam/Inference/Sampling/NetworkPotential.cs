using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// The full-batch potential of a network posterior: U(θ, ψ) = −Σₙ log p(yₙ|xₙ, θ, ψ) − log p(θ) per chain
/// (untempered; HMC divides by T), over a <see cref="SamplerTarget"/>'s blocks, on the data set by
/// <see cref="Data"/>. K chains stacked in an MLP share the inputs.
/// </summary>
public sealed class NetworkPotential : IPotential
{
    private readonly SamplerTarget _target;
    private Tensor? _inputs;
    private Tensor? _targets;

    /// <summary>Creates the potential of <paramref name="target"/> with <paramref name="chains"/> chains.</summary>
    public NetworkPotential(SamplerTarget target, int chains)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (chains < 1) throw new ArgumentOutOfRangeException(nameof(chains), $"Chains must be at least 1; got {chains}.");
        Chains = chains;
        Position = [.. target.Blocks];
    }

    /// <inheritdoc />
    public int Chains { get; }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Position { get; }

    /// <summary>The data every evaluation uses: inputs [N, ...] and targets (not owned; they must outlive the evaluations).</summary>
    public Batch Data
    {
        set
        {
            _inputs = value.Inputs;
            _targets = Chains == 1 ? value.Targets : value.Targets.unsqueeze(0).expand([Chains, .. value.Targets.shape]);
        }
    }

    /// <inheritdoc />
    public Tensor? Evaluate(bool withValue)
    {
        if (_inputs is null || _targets is null) throw new InvalidOperationException("Set the potential's data before evaluating it.");
        foreach (var p in Position) p.grad?.zero_();
        using var scope = NewDisposeScope();
        var nll = _target.Likelihood.NegativeLogLikelihood(_target.Network.call(_inputs), _targets);
        var perChain = Chains == 1 ? nll.sum().unsqueeze(0) : nll.reshape(Chains, -1).sum(1);
        perChain.sum().backward();
        _target.Prior.AddNegativeLogDensityGradient(_target.Weights, 1.0);
        if (!withValue) return null;
        var value = perChain.detach().to_type(ScalarType.Float64);
        using (no_grad())
        {
            var thetas = _target.Weights.Get().view(Chains, -1);
            var prior = stack(Enumerable.Range(0, Chains).Select(k => _target.Prior.LogDensity(thetas[k])).ToArray());
            value = value - prior.to(value.device);
        }
        return value.MoveToOuterDisposeScope();
    }
}
