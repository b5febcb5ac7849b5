namespace Occam.Evaluation;

/// <summary>
/// One bin of a reliability diagram: the predictions whose top-label confidence c lies in
/// (<see cref="Lower"/>, <see cref="Upper"/>] (the first bin also holds c = 0).
/// </summary>
/// <param name="Lower">Lower edge b/B of the bin (exclusive, except 0 for the first bin).</param>
/// <param name="Upper">Upper edge (b+1)/B of the bin (inclusive).</param>
/// <param name="Count">Number of predictions in the bin.</param>
/// <param name="MeanConfidence">Mean top-label confidence in the bin; NaN when the bin is empty.</param>
/// <param name="Accuracy">Fraction of correct predictions in the bin; NaN when the bin is empty.</param>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double MeanConfidence, double Accuracy);
