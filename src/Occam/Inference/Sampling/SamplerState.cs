using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// What a stochastic-gradient sampler carries between steps besides the weights (which live in the
/// network): one buffer per block of <see cref="SamplerTarget.Blocks"/> (SGHMC's velocity, pSGLD's
/// squared-gradient average), or none for SGLD, and the noise buffer the step draws into.
/// </summary>
public sealed class SamplerState : IDisposable
{
    /// <summary>Creates the state for <paramref name="blocks"/>: a noise buffer, and zero-filled per-block buffers when <paramref name="perBlockBuffers"/>.</summary>
    public SamplerState(IReadOnlyList<Tensor> blocks, bool perBlockBuffers)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        using var noGrad = no_grad();
        Buffers = perBlockBuffers ? blocks.Select(b => zeros_like(b).DetachFromDisposeScope()).ToArray() : [];
        Noise = new NoiseBuffer(blocks);
    }

    /// <summary>Per-block buffers (detached, owned by the state).</summary>
    public Tensor[] Buffers { get; }

    /// <summary>Standard normal noise for every block, one draw per step (owned by the state).</summary>
    public NoiseBuffer Noise { get; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in Buffers) b.Dispose();
        Noise.Dispose();
    }
}
