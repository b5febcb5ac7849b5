using static TorchSharp.torch;

namespace Occam.Inference.Variational;

public sealed partial class Ivon
{
    /// <summary>
    /// Copies the optimiser's learned state (the mean m held in the parameters, the Hessian estimate h and the
    /// gradient momentum g) into <paramref name="checkpoint"/>, creating it on the first call; the caller
    /// disposes it. The step count and the noise generator are not part of it: a restored run goes on counting.
    /// </summary>
    internal void Save(ref IvonCheckpoint? checkpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sampling) throw new InvalidOperationException("IVON cannot save its state while a sample is in the parameters.");
        checkpoint ??= new IvonCheckpoint(Count, _hessian.dtype, _hessian.device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++) Slice(checkpoint.Mean, i).copy_(_parameters[i]);
        checkpoint.Hessian.copy_(_hessian);
        checkpoint.Momentum.copy_(_momentum);
    }

    /// <summary>Puts back the state saved in <paramref name="checkpoint"/> and recomputes σ from it.</summary>
    internal void Restore(IvonCheckpoint checkpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sampling) throw new InvalidOperationException("IVON cannot restore its state while a sample is in the parameters.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++) _parameters[i].copy_(Slice(checkpoint.Mean, i));
        _hessian.copy_(checkpoint.Hessian);
        _momentum.copy_(checkpoint.Momentum);
        RefreshStandardDeviation(_hessian.add(Decay));
    }
}

/// <summary>A saved IVON state: flat [P] copies of m, h and g in the optimiser's dtype and device. Disposing it frees them.</summary>
internal sealed class IvonCheckpoint(long count, ScalarType dtype, Device device) : IDisposable
{
    public Tensor Mean { get; } = empty(count, dtype, device).DetachFromDisposeScope();
    public Tensor Hessian { get; } = empty(count, dtype, device).DetachFromDisposeScope();
    public Tensor Momentum { get; } = empty(count, dtype, device).DetachFromDisposeScope();

    public void Dispose()
    {
        Mean.Dispose();
        Hessian.Dispose();
        Momentum.Dispose();
    }
}
