namespace Occam.GaussianProcesses;

/// <summary>An exact GP (or a dense covariance) would need more memory than is available; raised before allocating.</summary>
public sealed class GpTooLargeException : OccamException
{
    /// <summary>Creates the exception.</summary>
    public GpTooLargeException(string message, long requiredBytes, long availableBytes) : base(message)
    {
        RequiredBytes = requiredBytes;
        AvailableBytes = availableBytes;
    }

    /// <summary>The estimated bytes needed.</summary>
    public long RequiredBytes { get; }

    /// <summary>The bytes available when checked.</summary>
    public long AvailableBytes { get; }
}
