namespace Occam.Active;

/// <summary>
/// The seeds of one round, derived from the run's seed and the round number only, so a resumed run draws
/// exactly what an uninterrupted one would have, and every acquisition function of the same seed starts
/// from the same initial set and the same first model.
/// </summary>
internal static class RoundSeeds
{
    public const int Fit = 0, Subset = 1, Acquire = 2, Predict = 3, Initial = 4;

    /// <summary>A well-mixed seed for (<paramref name="seed"/>, <paramref name="round"/>, <paramref name="purpose"/>), non-negative (SplitMix64 finaliser).</summary>
    public static long For(long seed, int round, int purpose)
    {
        unchecked
        {
            ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)round * 0xBF58476D1CE4E5B9UL + (ulong)purpose * 0x94D049BB133111EBUL + 0x2545F4914F6CDD1DUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (long)(z >> 1);
        }
    }
}
