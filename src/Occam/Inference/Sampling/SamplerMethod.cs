using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Posteriors;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// The frame every sampler shares: plan the run, check that the kept samples fit in memory, start K chains
/// (batched along the member dimension when the network stacks members and the prior handles stacked rows, else one
/// after another with their own seeds), run the kernel on the runner with a collector, and return a
/// <see cref="WeightPosterior"/> over the kept draws (<see cref="ChainSamples"/>) whose likelihood holds each
/// draw's own noise. A learned Gaussian noise is sampled with the weights under a flat prior on log σ.
/// </summary>
/// <typeparam name="TOptions">The sampler's options.</typeparam>
public abstract class SamplerMethod<TOptions> : NetworkMethod<TOptions>, IChainSampler where TOptions : SamplerOptions
{
    private const int TraceRows = 1024;

    /// <summary>Sets name, setup and options (validated).</summary>
    protected SamplerMethod(string name, ModelSetup setup, TOptions options) : base(name, setup, options) { }

    /// <summary>The run of every chain group on <paramref name="trainingSize"/> examples; throws <see cref="ArgumentException"/> naming the option when the options do not fit the data.</summary>
    public abstract SamplingPlan Plan(long trainingSize);

    /// <summary>Runs one group of <paramref name="chains"/> chains on the runner, handing kept states to <paramref name="collector"/>; adds to <paramref name="statistics"/>.</summary>
    private protected abstract void Sample(SamplerTarget target, int chains, Dataset data, SamplingPlan plan, FitContext context,
        IRunCollector<object> collector, SamplerStatistics statistics);

    /// <summary>log p(θ_k|D) per chain for the traces (default: the likelihood on the first 1024 training rows scaled by N/n, plus the prior).</summary>
    private protected virtual Func<object, double[]> LogPosteriorTrace(SamplerTarget target, int chains, Dataset data)
    {
        long rows = Math.Min(TraceRows, data.Count);
        var x = data.Inputs.narrow(0, 0, rows);
        var y = data.Targets.narrow(0, 0, rows);
        return _ => target.LogPosterior(x, y, chains, data.Count);
    }

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit) => Run(fit, Enumerable.Range(0, Options.Chains).ToArray());

    /// <summary>
    /// Runs chain <paramref name="chain"/> alone, exactly as <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/>
    /// runs it when the chains run one after another (<see cref="SamplerOptions.Batched"/> false): seed
    /// context seed · 1 000 003 + chain + 1. The result is a one-chain weight posterior (the caller disposes it);
    /// <see cref="CombineChains"/> joins K of them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chain"/> outside 0..K−1.</exception>
    public WeightPosterior FitChain(Dataset train, FitContext context, int chain)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (chain < 0 || chain >= Options.Chains)
            throw new ArgumentOutOfRangeException(nameof(chain), chain, $"chain must lie in 0..{Options.Chains - 1}");
        return WithPreparedData(train, context, fit => Run(fit, [chain]));
    }

    /// <summary>
    /// The posterior of K chains run separately by <see cref="FitChain"/> (in chain order), identical to the one
    /// <see cref="NetworkMethod{TOptions}.Fit(Dataset, FitContext?)"/> builds with the chains run one after another on
    /// the same data and seed: draws, traces and likelihood values joined chain-major, steps and divergences summed.
    /// The chains are only read; the caller still disposes them.
    /// </summary>
    /// <exception cref="ArgumentException">Not K one-chain posteriors of this sampler's draws, or HMC chains (their adaptation statistics do not add up).</exception>
    public WeightPosterior CombineChains(Dataset train, FitContext context, IReadOnlyList<WeightPosterior> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count != Options.Chains)
            throw new ArgumentException($"The sampler runs {Options.Chains} chains; got {chains.Count}.", nameof(chains));
        var samples = chains.Select(c => c.Distribution as ChainSamples ?? throw new ArgumentException($"Expected the draws of one chain; got a {c.Distribution.Kind} distribution.", nameof(chains))).ToList();
        if (samples.Any(c => c.Chains != 1 || c.DrawsPerChain != samples[0].DrawsPerChain))
            throw new ArgumentException($"Expected one chain of {samples[0].DrawsPerChain} draws per posterior.", nameof(chains));
        if (samples.Any(c => !c.Traces.Keys.Order().SequenceEqual(samples[0].Traces.Keys.Order()) || !c.Statistics.Keys.Order().SequenceEqual(samples[0].Statistics.Keys.Order())))
            throw new ArgumentException("The chains record different traces or statistics: they are not runs of one planned sampler.", nameof(chains));
        if (samples.Any(c => c.Statistics.Keys.Any(k => k is not ("steps" or "divergences"))))
            throw new ArgumentException("HMC chains keep adaptation statistics that do not add up; run HMC in one process.", nameof(chains));
        return WithPreparedData(train, context, fit =>
        {
            var device = fit.Context.ResolvedDevice;
            var template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
            Likelihood? likelihood = null;
            try
            {
                template.to(device);
                template.eval();
                var thetas = Join(samples.Select(c => c.Thetas().to(device)).ToArray());
                likelihood = fit.Likelihood.ForMembers((int)thetas.shape[0], device);
                using (var values = Join(chains.Select(c => LikelihoodValues(c.Likelihood, samples[0].DrawsPerChain).to(device)).ToArray()))
                    SetLikelihood(likelihood, values);
                var traces = samples[0].Traces.Keys.ToDictionary(name => name, name => samples.SelectMany(c => c.Traces[name]).ToArray());
                var statistics = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var key in samples[0].Statistics.Keys) statistics[key] = samples.Sum(c => c.Statistics[key]);
                var distribution = new ChainSamples(thetas, chains.Count, traces, statistics);
                return new WeightPosterior(Name, fit.Frame, Setup.Network, template, likelihood, distribution, fit.Context.Seed);
            }
            catch
            {
                template.Dispose();
                likelihood?.Dispose();
                throw;
            }
        });
    }

    /// <summary>Runs the chains <paramref name="indices"/> (all K batched when allowed, else one after another with their own seeds) into one posterior.</summary>
    private WeightPosterior Run(NetworkFit fit, int[] indices)
    {
        int chains = indices.Length;
        var device = fit.Context.ResolvedDevice;
        var plan = Plan(fit.Data.Count);
        bool batched = chains > 1 && chains == Options.Chains && Options.Batched && Setup.Network.SupportsMembers
            && Setup.Prior is GaussianPrior or LaplacePrior or SpikeAndSlabPrior or InformativeGaussianPrior;
        var template = Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, 1, fit.Context.Seed);
        Likelihood? likelihood = null;
        try
        {
            template.to(device);
            template.eval();
            long parameters = WeightSpace.Of(template).Count;
            long likelihoodValues;
            using (var single = fit.Likelihood.ForMembers(1, device)) likelihoodValues = single.Parameters.Sum(p => p.numel());
            SampleBudget.Check((long)chains * plan.KeptPerChain, parameters + likelihoodValues);

            using var store = new SampleStore(chains, plan.KeptPerChain, parameters, likelihoodValues, device);
            using var direction = Direction(parameters, fit.Context.Seed, device);
            var statistics = new SamplerStatistics();
            if (batched) RunGroup(fit, chains, fit.Context.Seed, 0, plan, store, direction, statistics);
            else for (int k = 0; k < chains; k++) RunGroup(fit, 1, ChainSeed(fit.Context.Seed, indices[k]), k, plan, store, direction, statistics);

            var (thetas, values, traces) = store.Build();
            using (values)
            {
                int samples = (int)thetas.shape[0];
                likelihood = fit.Likelihood.ForMembers(samples, device);
                SetLikelihood(likelihood, values);
            }
            var distribution = new ChainSamples(thetas, chains, traces, statistics.Report());
            return new WeightPosterior(Name, fit.Frame, Setup.Network, template, likelihood, distribution, fit.Context.Seed);
        }
        catch
        {
            template.Dispose();
            likelihood?.Dispose();
            throw;
        }
    }

    private void RunGroup(NetworkFit fit, int chains, long seed, int first, SamplingPlan plan, SampleStore store, Tensor direction, SamplerStatistics statistics)
    {
        var device = fit.Context.ResolvedDevice;
        var (network, likelihood) = Options.Init == SamplerInit.Map
            ? TrainMap(fit, chains, seed, $"{Name}: MAP start")
            : (Setup.Network.Create(fit.Frame.InputShape, fit.Frame.Outputs, chains, seed), fit.Likelihood.ForMembers(chains, device));
        using (network)
        using (likelihood)
        {
            network.to(device);
            network.eval(); // samplers move the weights themselves; dropout stays off
            var target = new SamplerTarget(network, likelihood, Setup.Prior);
            var collector = new ChainCollector(store, target, first, chains, direction, LogPosteriorTrace(target, chains, fit.Data), plan.Keep);
            Sample(target, chains, fit.Data, plan, fit.Context.WithSeed(seed), collector, statistics);
        }
    }

    /// <summary>The per-chain draws' likelihood values [S, Q] copied into the S-member likelihood's parameters.</summary>
    private static void SetLikelihood(Likelihood likelihood, Tensor values)
    {
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in likelihood.Parameters)
        {
            long width = p.numel() / values.shape[0];
            using var part = values.narrow(1, offset, width).reshape(p.shape).to_type(p.dtype);
            p.copy_(part);
            offset += width;
        }
    }

    /// <summary>The inverse of <see cref="SetLikelihood"/>: the <paramref name="draws"/>-member likelihood's values [draws, Q] (float32, as the sample store keeps them).</summary>
    private static Tensor LikelihoodValues(Likelihood likelihood, int draws)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = likelihood.Parameters.Select(p => p.detach().reshape(draws, -1).to_type(ScalarType.Float32)).ToArray();
        var values = parts.Length == 0 ? zeros(new long[] { draws, 0 }, ScalarType.Float32) : cat(parts, 1);
        return values.MoveToOuterDisposeScope();
    }

    /// <summary>Concatenates <paramref name="parts"/> along rows and disposes them.</summary>
    private static Tensor Join(Tensor[] parts)
    {
        try
        {
            return cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>A seeded random unit vector [P] for the projection trace.</summary>
    private static Tensor Direction(long parameters, long seed, Device device)
    {
        using var scope = NewDisposeScope();
        var u = randn(new long[] { parameters }, generator: new Generator(unchecked((ulong)(seed ^ 0x0CCA_3D1E)))).to(device);
        return (u / u.norm()).MoveToOuterDisposeScope();
    }

    private static long ChainSeed(long seed, int chain) => unchecked(seed * 1_000_003 + chain + 1);
}
