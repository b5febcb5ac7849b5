using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// The state of a sampler over subspace coordinates: the current z [r] (float64, CPU), its tempered
/// log-likelihood, and what the sampler tracks (likelihood evaluations, HMC's step size and acceptance).
/// </summary>
public sealed class SubspaceChain : IDisposable
{
    /// <summary>Starts a chain at <paramref name="start"/> (taken over).</summary>
    public SubspaceChain(Tensor start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Position = start.DetachFromDisposeScope();
    }

    /// <summary>The current coordinates z [r].</summary>
    public Tensor Position { get; private set; }

    /// <summary>L(z) at <see cref="Position"/>, once evaluated.</summary>
    public double? LogLikelihood { get; set; }

    /// <summary>∇_z L at <see cref="Position"/>, once evaluated (HMC).</summary>
    public Tensor? Gradient { get; private set; }

    /// <summary>Log-likelihood evaluations so far (gradient evaluations count once).</summary>
    public long Evaluations { get; set; }

    /// <summary>HMC: the current leapfrog step size.</summary>
    public double StepSize { get; set; }

    /// <summary>HMC: the running mean of log step sizes over the second half of burn-in.</summary>
    public (double Sum, long Count) LogStepAverage { get; set; }

    /// <summary>HMC: accepted proposals after burn-in, and proposals.</summary>
    public (long Accepted, long Proposed) Acceptance { get; set; }

    /// <summary>Moves the chain to <paramref name="position"/> (taken over) with its log-likelihood and, for HMC, its gradient (taken over).</summary>
    public void MoveTo(Tensor position, double logLikelihood, Tensor? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (!ReferenceEquals(position, Position)) Position.Dispose();
        Position = position.DetachFromDisposeScope();
        LogLikelihood = logLikelihood;
        if (!ReferenceEquals(gradient, Gradient)) Gradient?.Dispose();
        Gradient = gradient?.DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Position.Dispose();
        Gradient?.Dispose();
    }
}

/// <summary>Keeps the chain's coordinates at every kept step.</summary>
public sealed class SubspaceSamples : IRunCollector<SubspaceChain>, IDisposable
{
    private readonly List<Tensor> _samples = [];

    /// <summary>Samples kept.</summary>
    public int Count => _samples.Count;

    /// <inheritdoc />
    public void Collect(SubspaceChain state, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        _samples.Add(state.Position.clone().DetachFromDisposeScope());
    }

    /// <summary>The kept coordinates [S, r] (float64, fresh).</summary>
    /// <exception cref="InvalidOperationException">Nothing was kept.</exception>
    public Tensor Stack() => _samples.Count > 0 ? stack(_samples) : throw new InvalidOperationException("The chain kept no samples.");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _samples) s.Dispose();
        _samples.Clear();
    }
}
