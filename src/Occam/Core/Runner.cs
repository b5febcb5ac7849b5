using System.Diagnostics;
using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// Drives a kernel over a dataset: seeds libtorch's global generator for the run, cuts each epoch into
/// (shuffled) mini-batches, runs every step in its own dispose scope with the schedule's learning-rate
/// factor, hands the states after burn-in and thinning to the collectors, reports progress after each
/// step, stops on cancellation, and refuses a diverged run (a non-finite epoch loss) instead of
/// returning NaN weights.
/// </summary>
public static class Runner
{
    private const long NoiseSalt = 0x5A17_C0DE;

    /// <summary>Runs <paramref name="kernel"/> over <paramref name="data"/>; the caller owns the returned state.</summary>
    /// <param name="kernel">The algorithm.</param>
    /// <param name="data">Training data (already standardised and on its device); not disposed.</param>
    /// <param name="options">Epochs, batches, members, schedule, burn-in, thinning.</param>
    /// <param name="context">Seed, progress and cancellation.</param>
    /// <param name="collectors">What to keep of the states after burn-in (samples, moments).</param>
    /// <exception cref="TrainingDivergedException">An epoch's loss was NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The context's cancellation was requested.</exception>
    public static (TState State, RunResult Result) Run<TState>(IKernel<TState> kernel, Dataset data, RunOptions options, FitContext context,
        params IRunCollector<TState>[] collectors) where TState : IDisposable
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        options.Validate();
        if (data.Count < 1) throw new ArgumentException("The training set is empty.", nameof(data));
        if (!options.Shuffle && options.Members > 1) throw new ArgumentException("Stacked members need shuffled batches of their own.", nameof(options));
        var clock = Stopwatch.StartNew();
        using var seeded = new RandomSeed(context.Seed); // dropout and optimisers that seed themselves draw from libtorch's global generator
        int batches = options.BatchesPerEpoch(data.Count);
        long totalSteps = (long)options.Epochs * batches;
        var state = kernel.Init(new RunSetup(data.Count, batches, totalSteps, options.Members, data.Inputs.device));
        try
        {
            var shuffles = options.Shuffle ? new MiniBatches(data.Count, options.BatchSize, context.Seed, options.Members) : null;
            var random = new Generator(unchecked((ulong)(context.Seed ^ NoiseSalt)));
            var history = new double[options.Epochs];
            long step = 0;
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                using var epochScope = NewDisposeScope();
                Tensor? total = null;
                int index = 0;
                foreach (var batch in Batches(data, options, shuffles))
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    using (var stepScope = NewDisposeScope())
                    {
                        var stepContext = new StepContext(step, totalSteps, epoch, options.Schedule.Factor(step, totalSteps), random);
                        (state, var info) = kernel.Step(state, batch, stepContext);
                        if (info.Loss is { } loss)
                        {
                            total ??= zeros(1, ScalarType.Float64, loss.device).MoveToOuterDisposeScope();
                            total.add_(loss.detach().to_type(ScalarType.Float64), alpha: batch.Size(options.Members));
                        }
                        if (Kept(step, options))
                            foreach (var collector in collectors) collector.Collect(state, stepContext);
                    }
                    step++;
                    if (++index < batches) context.Progress?.Report(new RunReport(options.Stage, step, totalSteps, epoch + 1, options.Epochs, null));
                }
                history[epoch] = total is null ? double.NaN : total.item<double>() / data.Count;
                if (total is not null && !double.IsFinite(history[epoch])) throw new TrainingDivergedException(options.Stage, epoch + 1, history[epoch]);
                context.Progress?.Report(new RunReport(options.Stage, step, totalSteps, epoch + 1, options.Epochs, total is null ? null : history[epoch]));
            }
            return (state, new RunResult(history, step, clock.Elapsed.TotalSeconds));
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private static bool Kept(long step, RunOptions options) => step + 1 > options.BurnIn && (step + 1 - options.BurnIn) % options.Thin == 0;

    /// <summary>The batches of one epoch, each disposed when the next is requested.</summary>
    private static IEnumerable<Batch> Batches(Dataset data, RunOptions options, MiniBatches? shuffles)
    {
        if (shuffles is null)
        {
            long size = Math.Min(options.BatchSize, data.Count);
            for (long start = 0; start < data.Count; start += size)
            {
                long length = Math.Min(size, data.Count - start);
                using var x = data.Inputs.narrow(0, start, length);
                using var y = data.Targets.narrow(0, start, length);
                yield return new Batch(x, y);
            }
            yield break;
        }
        foreach (var index in shuffles.NextEpoch())
        {
            using (index)
            {
                if (options.Members == 1)
                {
                    using var x = data.Inputs.index_select(0, index);
                    using var y = data.Targets.index_select(0, index);
                    yield return new Batch(x, y);
                    continue;
                }
                using var flat = index.reshape(-1);
                long k = index.shape[0], b = index.shape[1];
                using var xs = data.Inputs.index_select(0, flat);
                using var ys = data.Targets.index_select(0, flat);
                using var xv = xs.view([k, b, .. data.InputShape]);
                using var yv = ys.view([k, b, .. ys.shape[1..]]);
                yield return new Batch(xv, yv);
            }
        }
    }
}
