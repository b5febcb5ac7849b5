using System.Globalization;

namespace Occam.Core;

/// <summary>
/// How the learning rate (or step size) moves over a run, as a value: a factor in [0, 1] (or any
/// positive value for a custom schedule) that multiplies every learning rate at each step. Kernels
/// apply it to whatever they step with (Adam's, IVON's or a sampler's step size).
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly Func<long, long, double> _factor;

    private LearningRateSchedule(string name, Func<long, long, double> factor)
    {
        Name = name;
        _factor = factor;
    }

    /// <summary>A short name for reports ("constant", "cosine", "cyclical(4)", ...).</summary>
    public string Name { get; }

    /// <summary>The same rate at every step.</summary>
    public static LearningRateSchedule Constant { get; } = new("constant", (_, _) => 1.0);

    /// <summary>
    /// Cosine annealing to zero over the run (Loshchilov &amp; Hutter 2017, no restarts): step t of T has
    /// factor ½(1 + cos(πt/T)). The IVON paper trains every model this way.
    /// </summary>
    public static LearningRateSchedule Cosine { get; } = new("cosine", (t, total) => 0.5 * (1 + Math.Cos(Math.PI * t / total)));

    /// <summary>
    /// Cosine annealing restarted in <paramref name="cycles"/> equal cycles (Zhang et al. 2020, cyclical
    /// SG-MCMC): step t has factor ½(1 + cos(π·(t mod L)/L)) with L = ⌈T / cycles⌉.
    /// </summary>
    public static LearningRateSchedule Cyclical(int cycles)
    {
        if (cycles < 1) throw new ArgumentOutOfRangeException(nameof(cycles), $"A cyclical schedule needs at least one cycle; got {cycles}.");
        return new(FormattableString.Invariant($"cyclical({cycles})"), (t, total) =>
        {
            long length = (total + cycles - 1) / cycles;
            return 0.5 * (1 + Math.Cos(Math.PI * (t % length) / length));
        });
    }

    /// <summary>Any schedule: <paramref name="factor"/>(step, totalSteps) must be positive and finite.</summary>
    public static LearningRateSchedule Custom(Func<long, long, double> factor, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(factor);
        return new(name, factor);
    }

    /// <summary>Any schedule of the step alone: <paramref name="factor"/>(step) must be positive and finite.</summary>
    public static LearningRateSchedule Custom(Func<long, double> factor, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(factor);
        return new(name, (t, _) => factor(t));
    }

    /// <summary>The factor of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A step outside the run.</exception>
    /// <exception cref="InvalidOperationException">A custom schedule gave a negative or non-finite factor.</exception>
    public double Factor(long step, long totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"A run has at least one step; got {totalSteps}.");
        if (step < 0 || step >= totalSteps) throw new ArgumentOutOfRangeException(nameof(step), $"Step must lie in [0, {totalSteps}); got {step}.");
        double f = _factor(step, totalSteps);
        if (!(f >= 0) || !double.IsFinite(f)) throw new InvalidOperationException($"The {Name} schedule gave the factor {f} at step {step}; factors must be finite and non-negative.");
        return f;
    }

    /// <summary>Parses "constant", "cosine" or "cyclical:K" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Anything else; the message lists the forms.</exception>
    public static LearningRateSchedule Parse(string text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        if (t == "constant") return Constant;
        if (t == "cosine") return Cosine;
        if (t.StartsWith("cyclical:", StringComparison.Ordinal) && int.TryParse(t[9..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1)
            return Cyclical(k);
        throw new ArgumentException($"a schedule is constant, cosine or cyclical:K with K ≥ 1 cycles; got '{text}'");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
