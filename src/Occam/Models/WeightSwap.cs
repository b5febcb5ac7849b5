using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// Runs a network at other weights for the lifetime of a <c>using</c> block: swaps
/// the given weights in on construction and restores the original weights on dispose,
/// also when an exception flies.
/// </summary>
public sealed class WeightSwap : IDisposable
{
    private readonly nn.Module _module;
    private Tensor? _original;

    /// <summary>Swaps the weight vector [P] into <paramref name="module"/>.</summary>
    public WeightSwap(nn.Module module, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(module);
        _module = module;
        _original = FlatParameters.Get(module).DetachFromDisposeScope();
        try
        {
            FlatParameters.Set(module, weights);
        }
        catch
        {
            _original.Dispose();
            _original = null;
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_original is null) return;
        FlatParameters.Set(_module, _original);
        _original.Dispose();
        _original = null;
    }
}
