namespace Occam;

/// <summary>Base type of the errors Occam raises for bad data, bad options or failed fits; its message is meant for the user.</summary>
public class OccamException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public OccamException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and its cause.</summary>
    public OccamException(string message, Exception inner) : base(message, inner) { }
}
