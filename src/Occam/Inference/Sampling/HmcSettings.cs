namespace Occam.Inference.Sampling;

/// <summary>What <see cref="HmcKernel"/> runs with (see <see cref="HmcOptions"/> for each one's meaning).</summary>
/// <param name="WarmUp">Warm-up iterations.</param>
/// <param name="TargetAcceptance">The acceptance rate dual averaging aims at.</param>
/// <param name="TrajectoryLength">τ; each trajectory takes L = ⌈τ/ε⌉ leapfrog steps (the smallest ε over chains), at most <paramref name="MaxLeapfrogSteps"/>.</param>
/// <param name="MaxLeapfrogSteps">The cap on L.</param>
/// <param name="StepSize">The initial step size, or null for the heuristic search.</param>
/// <param name="Mass">Identity or warm-up-adapted diagonal mass.</param>
/// <param name="Temperature">T: the chains target exp(−U/T).</param>
public sealed record HmcSettings(int WarmUp, double TargetAcceptance = 0.8, double TrajectoryLength = 1.5, int MaxLeapfrogSteps = 256,
    double? StepSize = null, MassMatrix Mass = MassMatrix.Diagonal, double Temperature = 1.0)
{
    /// <summary>The settings of <paramref name="options"/>.</summary>
    public static HmcSettings From(HmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.WarmUp, options.TargetAcceptance, options.TrajectoryLength, options.MaxLeapfrogSteps, options.StepSize, options.Mass, options.Temperature);
    }
}
