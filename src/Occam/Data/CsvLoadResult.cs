namespace Occam.Data;

/// <summary>
/// What <see cref="CsvLoader.LoadWithClassLabels"/> returns: the dataset and, for classification, the
/// original target value of each class index.
/// </summary>
/// <param name="Dataset">The loaded dataset; the caller owns it and disposes it.</param>
/// <param name="ClassLabels">
/// For classification, <c>ClassLabels[k]</c> is the target value in the file that became class index k
/// (sorted ascending); empty for regression.
/// </param>
public sealed record CsvLoadResult(Dataset Dataset, IReadOnlyList<double> ClassLabels);
