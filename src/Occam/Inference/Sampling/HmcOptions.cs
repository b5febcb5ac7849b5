using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>The mass matrix of HMC's kinetic energy.</summary>
public enum MassMatrix
{
    /// <summary>M = I.</summary>
    Identity,

    /// <summary>M⁻¹ = diagonal of the posterior variances estimated in warm-up windows (Stan's scheme).</summary>
    Diagonal,
}

/// <summary>
/// Full-batch Hamiltonian Monte Carlo (Neal 2011), the reference for small models: leapfrog trajectories of
/// length τ, a Metropolis correction, the step size adapted by dual averaging during warm-up (Hoffman &amp;
/// Gelman 2014) and an identity or warm-up-estimated diagonal mass matrix. Every gradient uses all the data.
/// </summary>
public sealed record HmcOptions : SamplerOptions
{
    /// <summary>Warm-up iterations (default 100, enough for small checks; a reference needs several hundred): step size and mass matrix adapt; nothing is kept.</summary>
    [Description("HMC: warm-up iterations (step size and mass adaptation; not kept)")]
    public int WarmUp { get; init; } = 100;

    /// <summary>Iterations after warm-up, per chain (default 100); every <see cref="SamplerOptions.Thin"/>-th is kept.</summary>
    [OptionName("hmc-iterations"), Description("HMC: iterations after warm-up, per chain")]
    public int Iterations { get; init; } = 100;

    /// <summary>The acceptance rate dual averaging aims at, in (0, 1) (default 0.8).</summary>
    [Description("HMC: target acceptance rate of the step-size adaptation")]
    public double TargetAcceptance { get; init; } = 0.8;

    /// <summary>Trajectory length τ = ε·L (default 1.5, in the units the mass matrix whitens); L = ⌈τ/ε⌉ leapfrog steps.</summary>
    [Description("HMC: trajectory length τ = step size × leapfrog steps")]
    public double TrajectoryLength { get; init; } = 1.5;

    /// <summary>The most leapfrog steps of one trajectory (default 32; a network's posterior often wants hundreds); τ is cut short beyond it.</summary>
    [OptionName("max-leapfrog"), Description("HMC: most leapfrog steps per trajectory")]
    public int MaxLeapfrogSteps { get; init; } = 32;

    /// <summary>The initial leapfrog step size (null: found by Hoffman &amp; Gelman's heuristic); warm-up adapts it.</summary>
    [OptionName("hmc-step-size"), Description("HMC: initial leapfrog step size (default: a heuristic search)")]
    public double? StepSize { get; init; }

    /// <summary>The mass matrix (default diagonal, adapted in warm-up).</summary>
    [Description("HMC: mass matrix (identity, or diagonal adapted in warm-up)")]
    public MassMatrix Mass { get; init; } = MassMatrix.Diagonal;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (WarmUp < 0) throw new ArgumentException($"Warm-up must be non-negative; got {WarmUp}.", nameof(WarmUp));
        if (Iterations < 1) throw new ArgumentException($"HMC needs at least one iteration after warm-up; got {Iterations}.", nameof(Iterations));
        if (!(TargetAcceptance > 0 && TargetAcceptance < 1)) throw new ArgumentException($"The target acceptance must lie in (0, 1); got {TargetAcceptance}.", nameof(TargetAcceptance));
        Positive(TrajectoryLength, nameof(TrajectoryLength), "The trajectory length");
        if (MaxLeapfrogSteps < 1) throw new ArgumentException($"Max leapfrog steps must be at least 1; got {MaxLeapfrogSteps}.", nameof(MaxLeapfrogSteps));
        if (StepSize is { } s) Positive(s, nameof(StepSize), "The HMC step size");
        if (!Enum.IsDefined(Mass)) throw new ArgumentException($"Unknown mass matrix {Mass}.", nameof(Mass));
    }
}
