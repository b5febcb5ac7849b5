namespace Occam.GaussianProcesses;

/// <summary>
/// How <see cref="SafeCholesky"/> adds jitter to a diagonal that is not numerically positive definite:
/// first no jitter, then <see cref="InitialRelative"/> × the mean diagonal, multiplied by
/// <see cref="Growth"/> per attempt while it stays ≤ <see cref="MaxRelative"/> × the mean diagonal.
/// The defaults try 0, 1e-8, 1e-7, …, 1e-4 (six attempts).
/// </summary>
public sealed record JitterSchedule
{
    /// <summary>The first jitter, relative to the mean diagonal (default 1e-8).</summary>
    public double InitialRelative { get; init; } = 1e-8;

    /// <summary>The factor between attempts (default 10; must exceed 1).</summary>
    public double Growth { get; init; } = 10;

    /// <summary>The largest jitter tried, relative to the mean diagonal (default 1e-4).</summary>
    public double MaxRelative { get; init; } = 1e-4;

    /// <summary>The default schedule.</summary>
    public static JitterSchedule Default { get; } = new();

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public JitterSchedule Validate()
    {
        if (!(InitialRelative > 0) || !double.IsFinite(InitialRelative))
            throw new ArgumentException($"JitterSchedule.InitialRelative must be positive and finite; got {InitialRelative}.", nameof(InitialRelative));
        if (!(Growth > 1) || !double.IsFinite(Growth))
            throw new ArgumentException($"JitterSchedule.Growth must be finite and greater than 1; got {Growth}.", nameof(Growth));
        if (!(MaxRelative >= InitialRelative) || !double.IsFinite(MaxRelative))
            throw new ArgumentException($"JitterSchedule.MaxRelative must be finite and at least InitialRelative ({InitialRelative}); got {MaxRelative}.", nameof(MaxRelative));
        return this;
    }
}
