using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.GaussianProcesses;

/// <summary>
/// Options of sparse GP regression ("sgpr", Titsias 2009): M inducing inputs placed by k-means, the
/// hyperparameters (and optionally the inducing inputs) fitted by maximising the collapsed variational
/// bound with L-BFGS. On classification data it runs the exact GP classifier on a seeded random subset of
/// M training points (the subset-of-data approximation, Rasmussen &amp; Williams 2006, §8.3.3).
/// </summary>
public sealed record SgprOptions : GpMethodOptions
{
    /// <summary>Inducing inputs M (default 100; at most N).</summary>
    [Description("inducing inputs M (k-means centres of the training inputs; at most N)")]
    public int InducingPoints { get; init; } = 100;

    /// <summary>Whether the fit also moves the inducing inputs (default false).</summary>
    [Description("also optimise the inducing inputs")]
    public bool TrainInducing { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (InducingPoints < 1) throw new ArgumentException($"InducingPoints must be at least 1; got {InducingPoints}.", nameof(InducingPoints));
    }
}
