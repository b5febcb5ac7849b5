namespace Occam.Inference.Sampling;

/// <summary>
/// Stan's warm-up schedule for a diagonal mass matrix: a fast initial buffer (15% of warm-up, step size
/// only), slow windows of doubling length (from 25 iterations) whose draws estimate the variances, each
/// ending with a mass update and a restart of the step-size adaptation, and a fast final buffer (10%). The
/// last slow window stretches to the final buffer.
/// </summary>
public sealed class WarmUpWindows
{
    private readonly HashSet<int> _ends = [];

    /// <summary>The schedule of <paramref name="warmUp"/> iterations (none when fewer than 20: step size only).</summary>
    public WarmUpWindows(int warmUp)
    {
        if (warmUp < 20) return;
        int start = (int)(0.15 * warmUp), end = warmUp - (int)(0.1 * warmUp);
        SlowStart = start;
        int size = Math.Min(25, end - start);
        int at = start;
        while (at < end)
        {
            int next = at + size;
            if (next + 2 * size > end) next = end; // stretch the last window
            _ends.Add(next - 1);
            at = next;
            size *= 2;
        }
        SlowEnd = end;
    }

    /// <summary>First iteration of the slow windows (−1 without windows).</summary>
    public int SlowStart { get; } = -1;

    /// <summary>One past the last iteration of the slow windows.</summary>
    public int SlowEnd { get; }

    /// <summary>Whether iteration <paramref name="t"/> (0-based) lies in a slow window (its draw estimates the variance).</summary>
    public bool InWindow(int t) => SlowStart >= 0 && t >= SlowStart && t < SlowEnd;

    /// <summary>Whether iteration <paramref name="t"/> ends a slow window (then the mass matrix is updated).</summary>
    public bool EndsWindow(int t) => _ends.Contains(t);

    /// <summary>The 0-based iterations that end windows, in order.</summary>
    public IEnumerable<int> Ends => _ends.OrderBy(e => e);
}
