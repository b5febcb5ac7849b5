namespace Occam.Training;

/// <summary>How the learning rate moves over a training run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate at every step.</summary>
    Constant,

    /// <summary>
    /// Cosine annealing from the learning rate to zero over the run (Loshchilov &amp; Hutter 2017, without
    /// restarts): step t of T uses α·½(1 + cos(πt/T)). The IVON paper trains every model this way.
    /// </summary>
    Cosine,
}

/// <summary>The learning rate a <see cref="LearningRateSchedule"/> gives at each step.</summary>
public static class LearningRateSchedules
{
    /// <summary>The learning rate of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="initial">The initial (peak) learning rate α.</param>
    /// <param name="step">The step about to be taken, 0 ≤ step &lt; totalSteps.</param>
    /// <param name="totalSteps">Steps in the whole run (at least 1).</param>
    public static double At(this LearningRateSchedule schedule, double initial, long step, long totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"A run has at least one step; got {totalSteps}.");
        if (step < 0 || step >= totalSteps) throw new ArgumentOutOfRangeException(nameof(step), $"Step must lie in [0, {totalSteps}); got {step}.");
        return schedule switch
        {
            LearningRateSchedule.Constant => initial,
            LearningRateSchedule.Cosine => initial * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps)),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown learning-rate schedule."),
        };
    }
}
