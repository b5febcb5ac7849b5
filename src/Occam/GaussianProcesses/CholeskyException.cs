namespace Occam.GaussianProcesses;

/// <summary>
/// A Cholesky factorisation failed even with the largest jitter of its <see cref="JitterSchedule"/>:
/// the matrix is far from positive semi-definite (or not finite).
/// </summary>
public sealed class CholeskyException : OccamException
{
    /// <summary>Creates the exception.</summary>
    public CholeskyException(string message, double largestJitter) : base(message) => LargestJitter = largestJitter;

    /// <summary>The largest jitter (absolute, added to every diagonal entry) that was tried; 0 when none was.</summary>
    public double LargestJitter { get; }
}
