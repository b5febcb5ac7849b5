using Occam.Core;
using Occam.Core.Collectors;
using Occam.Data;
using Occam.Inference.Sampling;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Sampling;

/// <summary>U(z) = −log π(z) for K chains of a D-dimensional density given in closed form, for testing HMC without a network.</summary>
internal sealed class DensityPotential : IPotential, IDisposable
{
    private readonly Func<Tensor, Tensor> _logDensity;
    private readonly Tensor _z;

    /// <param name="logDensity">log π(z) per chain: [K, D] → [K], differentiable.</param>
    /// <param name="start">Starting points [K, D].</param>
    public DensityPotential(Func<Tensor, Tensor> logDensity, Tensor start)
    {
        _logDensity = logDensity;
        _z = start.detach().clone().requires_grad_(true).DetachFromDisposeScope();
        Chains = (int)start.shape[0];
        Position = [_z];
    }

    public int Chains { get; }

    public IReadOnlyList<Tensor> Position { get; }

    public Tensor? Evaluate(bool withValue)
    {
        _z.grad?.zero_();
        using var scope = NewDisposeScope();
        var u = -_logDensity(_z);
        u.sum().backward();
        return withValue ? u.detach().to_type(ScalarType.Float64).MoveToOuterDisposeScope() : null;
    }

    /// <summary>Runs HMC on the runner (a one-row dummy dataset; one step per iteration) and returns the kept draws per coordinate, chain-major, and the final state's statistics.</summary>
    public (double[][] Draws, HmcState State) Sample(HmcSettings settings, int iterations, long seed)
    {
        using var data = new Dataset(zeros(1, 1), zeros(1, 1), TaskKind.Regression);
        var kept = new List<double[]>();
        var collector = new Recorder(() => kept.Add(_z.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray()));
        var run = new RunOptions { Epochs = settings.WarmUp + iterations, BatchSize = 1, Shuffle = false, BurnIn = settings.WarmUp };
        var (state, _) = Runner.Run(new HmcKernel(this, settings), data, run, new FitContext(seed), collector);
        int d = (int)_z.shape[1];
        // kept[t][k * D + i] → coordinate i, chain k, draw t: chain-major per coordinate
        var draws = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, Chains).SelectMany(k => kept.Select(x => x[k * d + i])).ToArray()).ToArray();
        return (draws, state);
    }

    public void Dispose() => _z.Dispose();

    private sealed class Recorder(Action record) : IRunCollector<object>
    {
        public void Collect(object state, StepContext context) => record();
    }
}
