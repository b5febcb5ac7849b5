namespace Occam.Geometry;

/// <summary>
/// A curvature product (Hessian- or GGN-vector) or a matrix handed to the geometry tools held NaN or
/// an infinity: the weights, the data or the likelihood's noise are not finite, or the curvature
/// overflowed. The message names the operator.
/// </summary>
public sealed class NonFiniteCurvatureException : OccamException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public NonFiniteCurvatureException(string message) : base(message) { }
}
