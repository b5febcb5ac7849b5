using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// The lower Cholesky factor L of A + jitter·I from <see cref="SafeCholesky.Factor"/>. It owns
/// <see cref="Lower"/> (disposed with it); sealed and idempotently disposable.
/// </summary>
public sealed class CholeskyFactor : IDisposable
{
    internal CholeskyFactor(Tensor lower, double jitter, int attempts)
    {
        Lower = lower;
        Jitter = jitter;
        Attempts = attempts;
    }

    /// <summary>L, lower triangular, float64 [N, N]; in the autograd graph of A when A required gradients. Owned by this object.</summary>
    public Tensor Lower { get; }

    /// <summary>The absolute jitter added to the diagonal (0 when A factorised as it was).</summary>
    public double Jitter { get; }

    /// <summary>How many factorisations were tried (1 when no jitter was needed).</summary>
    public int Attempts { get; }

    /// <summary>Releases <see cref="Lower"/>; idempotent.</summary>
    public void Dispose() => Lower.Dispose();
}
