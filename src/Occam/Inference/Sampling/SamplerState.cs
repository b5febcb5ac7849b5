using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// What a stochastic-gradient sampler carries between steps besides the weights (which live in the
/// network): one buffer per block of <see cref="SamplerTarget.Blocks"/> (SGHMC's velocity, pSGLD's
/// squared-gradient average), or none for SGLD.
/// </summary>
public sealed class SamplerState : IDisposable
{
    /// <summary>Creates the state with zero-filled buffers shaped like <paramref name="blocks"/>, or none.</summary>
    public SamplerState(IEnumerable<Tensor>? blocks = null)
    {
        using var noGrad = no_grad();
        Buffers = blocks?.Select(b => zeros_like(b).DetachFromDisposeScope()).ToArray() ?? [];
    }

    /// <summary>Per-block buffers (detached, owned by the state).</summary>
    public Tensor[] Buffers { get; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in Buffers) b.Dispose();
    }
}
