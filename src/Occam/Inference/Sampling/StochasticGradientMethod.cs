using Occam.Core;
using Occam.Data;

namespace Occam.Inference.Sampling;

/// <summary>
/// The run of the mini-batch samplers with a step-size schedule: the model's batch size, <c>sampler-epochs</c>
/// epochs, the first <c>burn-in</c> epochs discarded, then one draw every <c>thin</c> steps (by default one per
/// epoch, or sparser so that at most <c>max-samples</c> are kept).
/// </summary>
/// <typeparam name="TOptions">The sampler's options.</typeparam>
public abstract class StochasticGradientMethod<TOptions> : SamplerMethod<TOptions> where TOptions : StochasticGradientOptions
{
    /// <summary>Sets name, setup and options (validated).</summary>
    protected StochasticGradientMethod(string name, ModelSetup setup, TOptions options) : base(name, setup, options) { }

    /// <summary>The kernel of one group of chains.</summary>
    private protected abstract IKernel<SamplerState> Kernel(SamplerTarget target);

    /// <inheritdoc />
    public override SamplingPlan Plan(long trainingSize)
    {
        int epochs = Options.Epochs ?? Setup.Training.Epochs;
        int burnIn = Options.BurnIn ?? epochs / 2;
        if (burnIn >= epochs) throw new ArgumentException($"Burn-in ({burnIn} epochs) must be shorter than the run ({epochs} epochs).", nameof(StochasticGradientOptions.BurnIn));
        var run = new RunOptions { Epochs = epochs, BatchSize = Setup.Training.BatchSize, Stage = Name };
        long perEpoch = run.BatchesPerEpoch(trainingSize);
        long available = (epochs - burnIn) * perEpoch;
        int cap = Options.MaxSamples / Options.Chains;
        long thin = Options.Thin ?? Math.Max(perEpoch, (available + cap - 1) / cap);
        long kept = available / thin;
        if (kept < 1) throw new ArgumentException($"Thinning by {thin} steps keeps no sample from the {available} steps after burn-in.", nameof(SamplerOptions.Thin));
        if (kept > cap)
            throw new ArgumentException($"Thinning by {thin} steps keeps {kept} samples per chain, {kept * Options.Chains} in all, more than max samples ({Options.MaxSamples}); thin more or raise max samples.", nameof(SamplerOptions.MaxSamples));
        var schedule = StepSchedules.Create(Options.Schedule, Options.DecayOffset, Options.DecayExponent, Options.Cycles);
        return new SamplingPlan(run with { Schedule = schedule, BurnIn = burnIn * perEpoch, Thin = thin }, (int)kept);
    }

    private protected override void Sample(SamplerTarget target, int chains, Dataset data, SamplingPlan plan, FitContext context,
        IRunCollector<object> collector, SamplerStatistics statistics)
    {
        statistics.Add(Guarded.Run(Kernel(target), target, Options.Unguarded, data, plan.Run with { Members = chains }, context, collector));
    }
}

/// <summary>
/// The run of cyclical SG-MCMC (Zhang et al. 2020): <c>sampler-epochs</c> epochs cut into <c>cycles</c> cosine
/// cycles of L = ⌈steps/cycles⌉ steps; the first ⌈βL⌉ steps of a cycle explore without noise, the rest
/// sample, and the last <c>samples-per-cycle</c> states of each cycle, <c>thin</c> steps apart (default: one
/// epoch, or closer when the sampling stage is shorter), are kept.
/// </summary>
/// <typeparam name="TOptions">The sampler's options.</typeparam>
public abstract class CyclicalMethod<TOptions> : SamplerMethod<TOptions> where TOptions : CyclicalOptions
{
    /// <summary>Sets name, setup and options (validated).</summary>
    protected CyclicalMethod(string name, ModelSetup setup, TOptions options) : base(name, setup, options) { }

    /// <summary>The kernel of one group of chains; <paramref name="explore"/> tells the steps without noise.</summary>
    private protected abstract IKernel<SamplerState> Kernel(SamplerTarget target, Func<long, bool> explore);

    /// <summary>Steps per cycle L and the first sampling step within a cycle, for a run of <paramref name="steps"/> steps.</summary>
    public (long Length, long SamplingStart) Cycle(long steps)
    {
        long length = (steps + Options.Cycles - 1) / Options.Cycles;
        return (length, (long)Math.Ceiling(Options.Exploration * length));
    }

    /// <inheritdoc />
    public override SamplingPlan Plan(long trainingSize)
    {
        int epochs = Options.Epochs ?? Setup.Training.Epochs;
        var run = new RunOptions { Epochs = epochs, BatchSize = Setup.Training.BatchSize, Stage = Name };
        long perEpoch = run.BatchesPerEpoch(trainingSize), steps = epochs * perEpoch;
        if (steps < Options.Cycles) throw new ArgumentException($"{Options.Cycles} cycles need at least as many steps; the run has {steps}.", nameof(CyclicalOptions.Cycles));
        var (length, start) = Cycle(steps);
        long sampling = length - start;
        if (sampling < Options.SamplesPerCycle)
            throw new ArgumentException($"A cycle of {length} steps samples in its last {sampling} steps, too few for {Options.SamplesPerCycle} samples per cycle; lower the exploration fraction or run longer.", nameof(CyclicalOptions.SamplesPerCycle));
        long thin = Options.Thin ?? Math.Max(1, Math.Min(perEpoch, (sampling - 1) / Math.Max(1, Options.SamplesPerCycle - 1)));
        var keep = new HashSet<long>();
        for (long c = 0; c * length < steps; c++)
        {
            long end = Math.Min((c + 1) * length, steps) - 1, first = c * length + start;
            for (int j = 0; j < Options.SamplesPerCycle; j++)
            {
                long step = end - j * thin;
                if (step < first)
                    throw new ArgumentException($"{Options.SamplesPerCycle} samples {thin} steps apart do not fit in the sampling stage of cycle {c + 1} ({end - first + 1} steps); thin less or explore less.", nameof(SamplerOptions.Thin));
                keep.Add(step);
            }
        }
        var schedule = LearningRateSchedule.Cyclical(Options.Cycles);
        return new SamplingPlan(run with { Schedule = schedule }, keep.Count, keep.Contains);
    }

    private protected override void Sample(SamplerTarget target, int chains, Dataset data, SamplingPlan plan, FitContext context,
        IRunCollector<object> collector, SamplerStatistics statistics)
    {
        var (length, start) = Cycle(plan.Run.Epochs * (long)plan.Run.BatchesPerEpoch(data.Count));
        statistics.Add(Guarded.Run(Kernel(target, step => step % length < start), target, Options.Unguarded, data, plan.Run with { Members = chains }, context, collector));
    }
}

/// <summary>Runs a stochastic-gradient kernel on the runner behind a <see cref="DivergenceGuard"/> (unless told not to).</summary>
internal static class Guarded
{
    /// <summary>The run's steps and divergences; disposes the kernel's state.</summary>
    public static (long Steps, long Divergences) Run(IKernel<SamplerState> kernel, SamplerTarget target, bool unguarded, Dataset data, RunOptions run,
        FitContext context, IRunCollector<object> collector)
    {
        using var guard = unguarded ? null : new DivergenceGuard(kernel, target);
        var (state, result) = Runner.Run((IKernel<SamplerState>?)guard ?? kernel, data, run, context, collector);
        state.Dispose();
        return (result.Steps, guard?.Divergences ?? 0);
    }
}
