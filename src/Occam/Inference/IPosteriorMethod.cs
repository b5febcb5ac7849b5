using Occam.Data;
using Occam.Training;

namespace Occam.Inference;

/// <summary>An inference method: built from its hyperparameters, it fits training data to an <see cref="IPosterior"/>.</summary>
public interface IPosteriorMethod
{
    /// <summary>A short name ("map", "ensemble", ...).</summary>
    string Name { get; }

    /// <summary>Fits the posterior to <paramref name="train"/> (raw units; the method standardises as configured).</summary>
    IPosterior Fit(Dataset train, FitContext? context = null);
}
