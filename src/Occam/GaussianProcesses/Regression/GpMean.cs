namespace Occam.GaussianProcesses.Regression;

/// <summary>The prior mean function of a GP regression model.</summary>
public enum GpMean
{
    /// <summary>m(x) = 0.</summary>
    Zero,

    /// <summary>m(x) = c with a trainable constant c.</summary>
    Constant,
}
