using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>What every fit needs besides data and hyperparameters.</summary>
/// <param name="Seed">Seed of initialisation, shuffling, dropout and sampling (same seed, same result).</param>
/// <param name="Device">Device to train and predict on (default CPU); data is moved there.</param>
/// <param name="Progress">Receives a report after every step of every run of the fit (optional).</param>
/// <param name="Cancellation">Stops a fit between steps (the run throws <see cref="OperationCanceledException"/>).</param>
public sealed record FitContext(long Seed = 0, Device? Device = null, IProgress<RunReport>? Progress = null,
    CancellationToken Cancellation = default)
{
    /// <summary>
    /// Weights to start training from instead of a fresh initialisation (e.g. the previous round of active
    /// learning), or null. Methods that train through <see cref="Inference.NetworkMethod{TOptions}"/>'s MAP
    /// training or IVON read and update it; it is not disposed by the fit.
    /// </summary>
    public WarmStart? WarmStart { get; init; }

    /// <summary>The device to use (CPU when none was given).</summary>
    public Device ResolvedDevice => Device ?? CPU;

    /// <summary>A copy with another seed (e.g. for ensemble member k).</summary>
    public FitContext WithSeed(long seed) => this with { Seed = seed };
}
