using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// Keeps the state of K chains at the steps a run keeps: their weights, their likelihood parameters and
/// two scalar traces per chain for the diagnostics, the log posterior (from <c>logPosterior</c>) and the
/// projection θ·u on a fixed random unit vector u.
/// </summary>
internal sealed class ChainCollector : IRunCollector<object>
{
    /// <summary>The name of the log-posterior trace.</summary>
    public const string LogPosteriorTrace = "log_posterior";

    /// <summary>The name of the projection trace.</summary>
    public const string ProjectionTrace = "projection";

    private readonly SampleStore _store;
    private readonly SamplerTarget _target;
    private readonly int _first;
    private readonly int _chains;
    private readonly Tensor _direction;
    private readonly Func<object, double[]> _logPosterior;
    private readonly Func<long, bool>? _keep;

    /// <param name="store">Where draws go.</param>
    /// <param name="target">The chains' weights and likelihood.</param>
    /// <param name="first">The index of this run's first chain in the store.</param>
    /// <param name="chains">Chains in this run.</param>
    /// <param name="direction">The unit vector u [P] (not owned).</param>
    /// <param name="logPosterior">log p(θ_k|D) per chain, given the kernel's state.</param>
    /// <param name="keep">Which of the runner's kept steps to keep (null: all).</param>
    public ChainCollector(SampleStore store, SamplerTarget target, int first, int chains, Tensor direction, Func<object, double[]> logPosterior, Func<long, bool>? keep)
    {
        _store = store;
        _target = target;
        _first = first;
        _chains = chains;
        _direction = direction;
        _logPosterior = logPosterior;
        _keep = keep;
    }

    public void Collect(object state, StepContext context)
    {
        if (_keep is { } keep && !keep(context.Step)) return;
        using var scope = NewDisposeScope();
        var thetas = _target.Thetas(_chains);
        var likelihood = _target.LikelihoodValues(_chains);
        var projection = thetas.to_type(ScalarType.Float64).mv(_direction.to_type(ScalarType.Float64)).cpu().data<double>().ToArray();
        _store.Add(_first, thetas, likelihood, new Dictionary<string, double[]>
        {
            [LogPosteriorTrace] = _logPosterior(state),
            [ProjectionTrace] = projection,
        });
    }
}
