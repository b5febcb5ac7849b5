namespace Occam.GaussianProcesses.Sparse;

/// <summary>How SGPR's inducing inputs are first placed.</summary>
public enum InducingSelection
{
    /// <summary>k-means centres of the training inputs (seeded k-means++ and Lloyd iterations).</summary>
    KMeans,

    /// <summary>A seeded random subset of the training inputs.</summary>
    RandomSubset,
}
