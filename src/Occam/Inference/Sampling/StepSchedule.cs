using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>How a stochastic-gradient sampler's step size moves over the run.</summary>
public enum StepSchedule
{
    /// <summary>h_k = h₀.</summary>
    Constant,

    /// <summary>h_k = a(b + k)^(−γ) (Welling &amp; Teh 2011; Teh, Thiéry &amp; Vollmer 2016), with a = h₀·b^γ so that the first step is h₀.</summary>
    Polynomial,

    /// <summary>h_k = (h₀/2)(cos(π·(k mod L)/L) + 1) with L = ⌈steps/cycles⌉ (Zhang et al. 2020).</summary>
    Cyclical,
}

/// <summary>Turns a <see cref="StepSchedule"/> into the runner's schedule: the factor h_k / h₀ of every step.</summary>
public static class StepSchedules
{
    /// <summary>The factor schedule of <paramref name="schedule"/>.</summary>
    /// <param name="schedule">The kind.</param>
    /// <param name="offset">b of the polynomial decay, in steps (&gt; 0).</param>
    /// <param name="exponent">γ of the polynomial decay (≥ 0).</param>
    /// <param name="cycles">Cycles of the cyclical schedule (≥ 1).</param>
    public static LearningRateSchedule Create(StepSchedule schedule, double offset, double exponent, int cycles) => schedule switch
    {
        StepSchedule.Constant => LearningRateSchedule.Constant,
        StepSchedule.Polynomial => LearningRateSchedule.Custom(k => Math.Pow(offset / (offset + k), exponent),
            FormattableString.Invariant($"polynomial(b={offset:G4}, γ={exponent:G3})")),
        StepSchedule.Cyclical => LearningRateSchedule.Cyclical(cycles),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown step schedule."),
    };
}
