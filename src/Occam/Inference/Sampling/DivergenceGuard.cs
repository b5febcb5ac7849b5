using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// Wraps a stochastic-gradient kernel (SGLD, pSGLD, SGHMC and their cyclical forms) and catches chains that
/// run off. A step's mini-batch loss (the mean negative log-likelihood per example, per chain) is checked at
/// the state the step started from; the chain is divergent there when the loss is not finite or exceeds the
/// chain's reference, its loss at the first step of the run, by more than <see cref="Margin"/> nats per
/// example. A divergent chain is put back to its last good state (weights, likelihood parameters and the
/// kernel's buffers, saved at the start of every epoch whose first step passed the check) and the step size of
/// the whole group is halved for the rest of the run: the batched chains share one step size. A run without
/// divergence is left untouched: same seed, same draws as the bare kernel.
/// </summary>
internal sealed class DivergenceGuard : IKernel<SamplerState>, IDisposable
{
    /// <summary>The allowed excess of a chain's mini-batch loss over its first one, in nats per example.</summary>
    public const double Margin = 3.0;

    private readonly IKernel<SamplerState> _inner;
    private readonly SamplerTarget _target;
    private Tensor[] _good = [];
    private double[] _reference = [];
    private int _chains;
    private int _batchesPerEpoch;
    private double _shrink = 1.0;

    /// <summary>Wraps <paramref name="inner"/>, whose steps call <see cref="SamplerTarget.Gradient"/> on <paramref name="target"/>.</summary>
    public DivergenceGuard(IKernel<SamplerState> inner, SamplerTarget target)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _target = target ?? throw new ArgumentNullException(nameof(target));
    }

    /// <summary>Divergent steps counted over all chains (a step where two chains diverge counts two).</summary>
    public long Divergences { get; private set; }

    /// <inheritdoc />
    public SamplerState Init(RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var state = _inner.Init(setup);
        _chains = setup.Members;
        _batchesPerEpoch = setup.BatchesPerEpoch;
        if (_chains > 1 && _target.Blocks.Any(b => b.dim() == 0 || b.shape[0] != _chains))
            throw new ArgumentException($"Every block of {_chains} batched chains must have the chains along its first dimension.", nameof(setup));
        Dispose();
        _reference = [];
        _shrink = 1.0;
        Divergences = 0;
        return state;
    }

    /// <inheritdoc />
    public (SamplerState State, StepInfo Info) Step(SamplerState state, Batch batch, StepContext context)
    {
        var blocks = Blocks(state);
        bool refresh = context.Step % _batchesPerEpoch == 0;
        Tensor[] start = refresh ? Copy(blocks) : [];
        var (next, info) = _inner.Step(state, batch, _shrink == 1.0 ? context : context with { LearningRateFactor = context.LearningRateFactor * _shrink });
        double[] losses = _target.ChainLosses!.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        if (_reference.Length == 0) _reference = losses.Select(l => double.IsFinite(l) ? l : double.PositiveInfinity).ToArray();
        var divergent = Enumerable.Range(0, _chains).Where(k => !double.IsFinite(losses[k]) || losses[k] > _reference[k] + Margin).ToArray();
        if (refresh) Save(start, divergent);
        if (divergent.Length == 0 || _good.Length == 0) return (next, info); // a start that is not finite is the runner's to refuse

        Restore(Blocks(next), divergent);
        Divergences += divergent.Length;
        _shrink /= 2;
        foreach (int k in divergent) losses[k] = _reference[k];
        return (next, new StepInfo(tensor(losses.Average())));
    }

    /// <summary>Disposes the saved states.</summary>
    public void Dispose()
    {
        foreach (var g in _good) g.Dispose();
        _good = [];
    }

    private List<Tensor> Blocks(SamplerState state) => [.. _target.Blocks, .. state.Buffers];

    private static Tensor[] Copy(List<Tensor> blocks)
    {
        using var noGrad = no_grad();
        return blocks.Select(b => b.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Keeps <paramref name="start"/> as the good state of every chain not in <paramref name="divergent"/>; disposes it.</summary>
    private void Save(Tensor[] start, int[] divergent)
    {
        if (_good.Length == 0 && divergent.Length == 0) { _good = start; return; }
        using (no_grad())
            for (int k = 0; k < _chains; k++)
                if (!divergent.Contains(k))
                    for (int i = 0; i < _good.Length; i++) Row(_good[i], k).copy_(Row(start[i], k));
        foreach (var t in start) t.Dispose();
    }

    private void Restore(List<Tensor> blocks, int[] divergent)
    {
        using var noGrad = no_grad();
        foreach (int k in divergent)
            for (int i = 0; i < blocks.Count; i++) Row(blocks[i], k).copy_(Row(_good[i], k));
    }

    /// <summary>Chain <paramref name="k"/>'s slice of a block (the whole block for one chain).</summary>
    private Tensor Row(Tensor block, int k) => _chains == 1 ? block : block[k];
}
