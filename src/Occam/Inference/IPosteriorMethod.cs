using Occam.Core;
using Occam.Data;

namespace Occam.Inference;

/// <summary>
/// An inference method: built from a model setup and its options, it fits training data to an
/// <see cref="IPosterior"/>. Protocols and benchmarks take instances, so a user's own method is
/// benchmarked like Occam's.
/// </summary>
public interface IPosteriorMethod
{
    /// <summary>A short name for reports ("map", "ensemble", ...).</summary>
    string Name { get; }

    /// <summary>The model it fits: architecture, likelihood, prior, training.</summary>
    ModelSetup Setup { get; }

    /// <summary>Its own options (a record; reports print them), or null when it has none.</summary>
    object? Options { get; }

    /// <summary>The same method and options on another model setup (protocols impose their model this way).</summary>
    IPosteriorMethod With(ModelSetup setup);

    /// <summary>
    /// Whether its predictive has an epistemic part: more than one member (ensembles, samples, MC dropout
    /// passes) or a Gaussian over the outputs. False for a single weight vector (MAP, SWA), whose mutual
    /// information is zero everywhere. Known before fitting, so acquisition functions that need it are
    /// refused up front. The default (true) suits any method that averages draws.
    /// </summary>
    bool HasEpistemicPart => true;

    /// <summary>Fits the posterior to <paramref name="train"/> (raw units; the method standardises as its setup says). <paramref name="train"/> is not disposed.</summary>
    IPosterior Fit(Dataset train, FitContext? context = null);
}
