using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Regression;

/// <summary>A Cholesky factor and weight vector kept for predictions, tagged with the raw hyperparameters they were computed at.</summary>
internal sealed class PosteriorCache : IDisposable
{
    private double[]? _snapshot;

    public Tensor Lower { get; private set; } = null!;

    public Tensor Alpha { get; private set; } = null!;

    public double Mean { get; private set; }

    public double Noise { get; private set; }

    public bool Matches(double[] snapshot) => _snapshot is not null && _snapshot.AsSpan().SequenceEqual(snapshot);

    /// <summary>Takes detached copies of the tensors (the caller's stay in its scope).</summary>
    public void Store(double[] snapshot, Tensor lower, Tensor alpha, double mean, double noise)
    {
        Dispose();
        Lower = lower.detach().clone().DetachFromDisposeScope();
        Alpha = alpha.detach().clone().DetachFromDisposeScope();
        Mean = mean;
        Noise = noise;
        _snapshot = snapshot;
    }

    public void Dispose()
    {
        _snapshot = null;
        Lower?.Dispose();
        Alpha?.Dispose();
    }
}
