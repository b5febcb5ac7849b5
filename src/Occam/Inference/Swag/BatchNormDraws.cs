using Occam.Core;
using Occam.Posteriors.Weights;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// The draws of one prediction for a network with batch normalisation: for each weight vector θₛ the
/// running statistics are re-estimated once (<see cref="BatchNormRefresh"/>) and kept, and every chunk
/// runs the network at θₛ with its own statistics. The network's weights and buffers are restored after
/// each use.
/// </summary>
internal sealed class BatchNormDraws : WeightDraws
{
    private readonly WeightSpace _space;
    private readonly Tensor _thetas;
    private readonly List<Tensor[]> _buffers = [];

    /// <summary>Takes over <paramref name="thetas"/> [S, P] and re-estimates the statistics at each.</summary>
    public BatchNormDraws(WeightSpace space, Tensor thetas, BatchNormRefresh refresh)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        ArgumentNullException.ThrowIfNull(refresh);
        ArgumentNullException.ThrowIfNull(thetas);
        _thetas = thetas.to(space.DType, space.Device);
        if (!ReferenceEquals(_thetas, thetas)) thetas.Dispose();
        _thetas.DetachFromDisposeScope();
        var module = space.Module;
        using var saved = new BufferSwap(module);
        try
        {
            for (long s = 0; s < _thetas.shape[0]; s++)
            {
                using var scope = NewDisposeScope();
                using var swap = space.At(_thetas[s]);
                refresh.Refresh(module);
                _buffers.Add(module.buffers().Select(b => b.detach().clone().DetachFromDisposeScope()).ToArray());
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override Tensor Outputs(Tensor chunk)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var module = _space.Module;
        var outputs = new Tensor[_buffers.Count];
        using (var saved = new BufferSwap(module))
        {
            for (int s = 0; s < outputs.Length; s++)
            {
                using var swap = _space.At(_thetas[s]);
                saved.Write(_buffers[s]);
                outputs[s] = module.call(chunk);
            }
        }
        return stack(outputs).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var set in _buffers)
            foreach (var b in set) b.Dispose();
        _buffers.Clear();
        _thetas.Dispose();
        base.Dispose();
    }

    /// <summary>Keeps copies of a module's buffers and writes them back on dispose.</summary>
    private sealed class BufferSwap : IDisposable
    {
        private readonly Tensor[] _live;
        private readonly Tensor[] _copies;

        public BufferSwap(TorchSharp.torch.nn.Module module)
        {
            _live = module.buffers().ToArray();
            _copies = _live.Select(b => b.detach().clone().DetachFromDisposeScope()).ToArray();
        }

        public void Write(Tensor[] values)
        {
            using var noGrad = no_grad();
            for (int i = 0; i < _live.Length; i++) _live[i].copy_(values[i]);
        }

        public void Dispose()
        {
            Write(_copies);
            foreach (var c in _copies) c.Dispose();
        }
    }
}
