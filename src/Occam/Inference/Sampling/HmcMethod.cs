using Occam.Core;
using Occam.Data;

namespace Occam.Inference.Sampling;

/// <summary>
/// Full-batch HMC, the reference sampler for small models (a UCI-sized MLP, all data in one batch): K chains
/// (batched for Occam's MLP), <c>warm-up</c> adapting iterations, then <c>hmc-iterations</c> kept every
/// <c>thin</c>-th. See <see cref="HmcKernel"/> and <see cref="HmcOptions"/>. Its posterior records the
/// acceptance rate, the divergent trajectories and the adapted step size.
/// </summary>
public sealed class HmcMethod : SamplerMethod<HmcOptions>
{
    /// <summary>Creates the method.</summary>
    public HmcMethod(ModelSetup setup, HmcOptions? options = null) : base("hmc", setup, options ?? new HmcOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("hmc", "full-batch Hamiltonian Monte Carlo with dual-averaging step size and diagonal mass adaptation: the reference for small models",
        new HmcOptions(), (setup, options) => new HmcMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new HmcMethod(setup, Options);

    /// <inheritdoc />
    public override SamplingPlan Plan(long trainingSize)
    {
        if (trainingSize > int.MaxValue) throw new ArgumentException($"Full-batch HMC takes all {trainingSize} examples in one batch; that is more than one batch can hold.", nameof(trainingSize));
        int cap = Options.MaxSamples / Options.Chains;
        int thin = Options.Thin ?? Math.Max(1, (Options.Iterations + cap - 1) / cap);
        int kept = Options.Iterations / thin;
        if (kept < 1) throw new ArgumentException($"Thinning by {thin} iterations keeps nothing of {Options.Iterations} iterations.", nameof(SamplerOptions.Thin));
        if (kept > cap)
            throw new ArgumentException($"Thinning by {thin} keeps {kept} samples per chain, {kept * Options.Chains} in all, more than max samples ({Options.MaxSamples}); thin more or raise max samples.", nameof(SamplerOptions.MaxSamples));
        var run = new RunOptions { Epochs = Options.WarmUp + Options.Iterations, BatchSize = (int)trainingSize, Shuffle = false, BurnIn = Options.WarmUp, Thin = thin, Stage = Name };
        return new SamplingPlan(run, kept);
    }

    private protected override Func<object, double[]> LogPosteriorTrace(SamplerTarget target, int chains, Dataset data) =>
        state => ((HmcState)state).LogPosterior();

    private protected override void Sample(SamplerTarget target, int chains, Dataset data, SamplingPlan plan, FitContext context,
        IRunCollector<object> collector, SamplerStatistics statistics)
    {
        var kernel = new HmcKernel(new NetworkPotential(target, chains), HmcSettings.From(Options));
        var (state, _) = Runner.Run(kernel, data, plan.Run, context, collector);
        statistics.Add(state); // keeps the counters; the state's tensors are freed now
        state.Dispose();
    }
}
