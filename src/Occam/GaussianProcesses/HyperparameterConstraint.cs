namespace Occam.GaussianProcesses;

/// <summary>How a hyperparameter's raw (trained) value maps to the value the model uses.</summary>
public enum HyperparameterConstraint
{
    /// <summary>The raw value is the logarithm: value = exp(raw) &gt; 0 (lengthscales, variances, periods).</summary>
    Positive,

    /// <summary>The raw value is the value (a constant mean, inducing inputs).</summary>
    Unconstrained,
}
