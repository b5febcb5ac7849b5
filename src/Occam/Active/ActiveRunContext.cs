using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>What an active-learning run needs besides its method, acquisition and data.</summary>
/// <param name="Seed">Seed of the initial set, the fits, the pool subsets and every draw (same seed, same run).</param>
/// <param name="Device">Device to fit and predict on (default CPU).</param>
/// <param name="StateDirectory">Folder where the run's state is saved after every round and resumed from (null: not resumable).</param>
/// <param name="Progress">Receives each round's result as it finishes.</param>
/// <param name="FitProgress">Receives the training steps of every fit.</param>
/// <param name="Cancellation">Stops the run between training steps; the state of the last finished round stays saved.</param>
public sealed record ActiveRunContext(long Seed = 0, Device? Device = null, string? StateDirectory = null, IProgress<RoundResult>? Progress = null,
    IProgress<RunReport>? FitProgress = null, CancellationToken Cancellation = default);
