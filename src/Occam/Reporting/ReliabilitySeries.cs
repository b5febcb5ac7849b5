namespace Occam.Reporting;

/// <summary>One curve of a <see cref="ReliabilityPlot"/>: per confidence bin, the mean confidence, the accuracy and the number of predictions.</summary>
/// <param name="Name">Legend entry, usually the method's name.</param>
/// <param name="MeanConfidence">Mean top-class probability of the predictions in each bin.</param>
/// <param name="Accuracy">Fraction of correct predictions in each bin.</param>
/// <param name="Counts">Number of predictions in each bin; bins with zero count are not drawn.</param>
public sealed record ReliabilitySeries(string Name, double[] MeanConfidence, double[] Accuracy, long[] Counts);
