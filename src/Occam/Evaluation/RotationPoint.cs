namespace Occam.Evaluation;

/// <summary>Scores of a posterior on the test images rotated by one angle (rotated-MNIST dataset shift).</summary>
/// <param name="Angle">Rotation in degrees, counter-clockwise.</param>
/// <param name="Accuracy">Accuracy of the Bayesian model average on the rotated images.</param>
/// <param name="Nll">Negative log predictive density, nats per image.</param>
/// <param name="Ece">Expected calibration error (15 equal-width bins).</param>
public sealed record RotationPoint(double Angle, double Accuracy, double Nll, double Ece);
