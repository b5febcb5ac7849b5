using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// One step of an inference algorithm over mini-batches: <see cref="Init"/> creates the state once,
/// <see cref="Step"/> advances it by one batch. MAP and ensemble training, MC dropout, IVON, Bayes by
/// Backprop, SWA collection and Laplace's curvature pass are kernels; <see cref="Runner"/> owns
/// everything around them (epochs, batches, schedules, dispose scopes, burn-in and thinning,
/// collectors, progress, cancellation, divergence).
/// </summary>
/// <typeparam name="TState">What the kernel carries between steps (weights, optimiser moments, accumulators); disposed by whoever owns the run's result.</typeparam>
public interface IKernel<TState> where TState : IDisposable
{
    /// <summary>Creates the state; called once per run, after the runner has seeded libtorch's global generator.</summary>
    TState Init(RunSetup setup);

    /// <summary>
    /// Advances <paramref name="state"/> by one batch and returns the state to carry on with (usually
    /// the same object, updated in place) and what the step did. Runs inside a dispose scope: keep
    /// nothing created here unless it is detached from the scope.
    /// </summary>
    (TState State, StepInfo Info) Step(TState state, Batch batch, StepContext context);
}

/// <summary>What a kernel knows when a run starts.</summary>
/// <param name="TrainingSize">N, the examples in the data.</param>
/// <param name="BatchesPerEpoch">Steps per epoch.</param>
/// <param name="TotalSteps">Steps in the whole run.</param>
/// <param name="Members">K, the members whose batches are stacked ([K, B, ...]), 1 otherwise.</param>
/// <param name="Device">The data's device.</param>
public sealed record RunSetup(long TrainingSize, int BatchesPerEpoch, long TotalSteps, int Members, Device Device);

/// <summary>A mini-batch: inputs [B, ...] and targets, or [K, B, ...] when K members each draw their own batch.</summary>
/// <param name="Inputs">Inputs (float32).</param>
/// <param name="Targets">float32 [B, T] / int64 [B], with a leading K for stacked members.</param>
public readonly record struct Batch(Tensor Inputs, Tensor Targets)
{
    /// <summary>Examples per member in this batch.</summary>
    public long Size(int members) => members == 1 ? Inputs.shape[0] : Inputs.shape[1];
}

/// <summary>Where a step sits in the run.</summary>
/// <param name="Step">0-based step index over the whole run.</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="LearningRateFactor">The schedule's factor for this step: multiply each learning rate by it.</param>
/// <param name="Random">A generator private to the run, seeded from the fit's seed (for kernels that draw noise).</param>
public sealed record StepContext(long Step, long TotalSteps, int Epoch, double LearningRateFactor, TorchSharp.torch.Generator Random);

/// <summary>What a step did.</summary>
/// <param name="Loss">The per-example training loss of the batch (a detached scalar, averaged over members), or null when the kernel has none.</param>
public readonly record struct StepInfo(Tensor? Loss);

/// <summary>Sees the state at the steps a run keeps (after burn-in, every Thin-th step): samples, running moments.</summary>
/// <typeparam name="TState">The kernel's state.</typeparam>
public interface IRunCollector<in TState>
{
    /// <summary>Records what it keeps of <paramref name="state"/> after step <paramref name="context"/>.Step.</summary>
    void Collect(TState state, StepContext context);
}
