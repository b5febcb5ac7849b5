using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// What every sampler shares: chains, temperature, the cap on kept samples, thinning and where chains
/// start. Each option's meaning is the same across the samplers, so they share one CLI flag.
/// </summary>
public abstract record SamplerOptions : IMethodOptions
{
    /// <summary>
    /// Independent chains K (default 4). Occam's MLP runs them batched along its member dimension (with a
    /// prior that handles stacked members: every prior in Occam); other networks run them one after another. The posterior keeps every chain's samples.
    /// </summary>
    [Description("samplers: independent chains K (batched along the member dimension for Occam's MLP)")]
    public int Chains { get; init; } = 4;

    /// <summary>
    /// Run the K chains together in one stacked network where the architecture allows (default true); false runs
    /// them one after another, chain k with seed · 1 000 003 + k + 1, which is what a planned fit does one chain per task.
    /// </summary>
    [Description("train the members together in one batched pass where the architecture allows")]
    public bool Batched { get; init; } = true;

    /// <summary>
    /// Temperature T &gt; 0 (default 1): the chains target p(θ|D)^(1/T) (<see cref="Core.LogPosterior"/>); the
    /// injected noise is scaled by √T. T = 1 is the Bayes posterior; T &lt; 1 a "cold" posterior (Wenzel et al.
    /// 2020), sharper than Bayes; T → 0 is noise-free optimisation.
    /// </summary>
    [Description("samplers: temperature T > 0 (1 = the Bayes posterior, < 1 = cold); the noise is scaled by sqrt(T)")]
    public double Temperature { get; init; } = 1.0;

    /// <summary>
    /// Samples kept in all, over every chain (default 200). Without an explicit <see cref="Thin"/> the
    /// thinning grows until the run keeps at most this many; the memory they take is checked before the run.
    /// </summary>
    [Description("samplers: samples kept in all chains together (memory is checked before the run)")]
    public int MaxSamples { get; init; } = 200;

    /// <summary>
    /// Kernel steps between kept samples (null: stochastic-gradient samplers keep one per epoch, HMC one per
    /// iteration, each raised if needed to respect <see cref="MaxSamples"/>; an explicit value is never changed).
    /// </summary>
    [Description("samplers: kernel steps between kept samples (default: one epoch, or one HMC iteration)")]
    public int? Thin { get; init; }

    /// <summary>
    /// Where the chains start (default <see cref="SamplerInit.Map"/>): with the short runs a benchmark affords,
    /// chains started at random initialisations are still far from the posterior's bulk (SGLD from random
    /// starts scored test LL −3.7 on yacht where the MAP start scored −1.66).
    /// </summary>
    [Description("samplers: where chains start: map (a MAP fit per chain) or random (initialisation)")]
    public SamplerInit Init { get; init; } = SamplerInit.Map;

    /// <summary>For tests: stochastic-gradient samplers run without their <see cref="DivergenceGuard"/>.</summary>
    internal bool Unguarded { get; init; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public virtual void Validate()
    {
        if (Chains < 1) throw new ArgumentException($"Chains must be at least 1; got {Chains}.", nameof(Chains));
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"Temperature must be positive and finite; got {Temperature}.", nameof(Temperature));
        if (MaxSamples < Chains) throw new ArgumentException($"Max samples must be at least one per chain ({Chains}); got {MaxSamples}.", nameof(MaxSamples));
        if (Thin is < 1) throw new ArgumentException($"Thinning must be at least 1 step; got {Thin}.", nameof(Thin));
        if (!Enum.IsDefined(Init)) throw new ArgumentException($"Unknown init {Init}.", nameof(Init));
    }

    /// <summary>Throws unless <paramref name="value"/> is positive and finite.</summary>
    protected static void Positive(double value, string name, string what)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"{what} must be positive and finite; got {value}.", name);
    }
}
