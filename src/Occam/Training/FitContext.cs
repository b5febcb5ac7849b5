using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>What every fit needs besides data and hyperparameters.</summary>
/// <param name="Seed">Seed of initialisation, shuffling, dropout and sampling.</param>
/// <param name="Device">Device to train and predict on (default CPU); data is moved there.</param>
/// <param name="Progress">Receives one report per epoch (optional).</param>
/// <param name="Cancellation">Stops a fit between steps.</param>
public sealed record FitContext(long Seed = 0, Device? Device = null, IProgress<EpochReport>? Progress = null,
    CancellationToken Cancellation = default)
{
    /// <summary>The device to use (CPU when none was given).</summary>
    public Device ResolvedDevice => Device ?? CPU;

    /// <summary>A copy with another seed (e.g. for ensemble member k).</summary>
    public FitContext WithSeed(long seed) => this with { Seed = seed };
}

/// <summary>Progress of one training epoch.</summary>
/// <param name="Stage">What is being trained (e.g. "member 2/5").</param>
/// <param name="Epoch">1-based epoch just finished.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Loss">Mean training loss of the epoch (per example, incl. the prior term).</param>
public sealed record EpochReport(string Stage, int Epoch, int Epochs, double Loss);
