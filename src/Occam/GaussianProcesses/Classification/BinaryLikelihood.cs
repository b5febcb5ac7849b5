namespace Occam.GaussianProcesses.Classification;

/// <summary>The likelihood p(y = ±1 | f) of binary GP classification.</summary>
public enum BinaryLikelihood
{
    /// <summary>The logistic sigmoid σ(y f).</summary>
    Logistic,

    /// <summary>The probit Φ(y f) (standard normal cdf).</summary>
    Probit,
}
