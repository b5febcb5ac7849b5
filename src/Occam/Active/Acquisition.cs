using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// An acquisition function: how informative labelling each pool point would be, read from the
/// posterior's <see cref="Predictive"/> only (its members: ensemble members, MC samples, dropout passes or
/// latent-Gaussian draws), so it works with every registered method. The default batch rule is top-b: the
/// b highest scores of the candidates. Diversity-aware rules (<see cref="BatchBald"/>) and
/// <see cref="RandomAcquisition"/> override <see cref="Select"/>.
/// </summary>
public abstract class Acquisition
{
    /// <summary>The name used on the command line and in reports (kebab case, e.g. "bald").</summary>
    public abstract string Name { get; }

    /// <summary>One line on what it scores.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Whether it needs a predictive with an epistemic part (more than one member or a Gaussian over the
    /// outputs): with a single member it would score every point alike (BALD's mutual information is zero).
    /// </summary>
    public virtual bool RequiresEpistemic => false;

    /// <summary>Whether it scores data of <paramref name="task"/>.</summary>
    public abstract bool Supports(TaskKind task);

    /// <summary>Whether <see cref="Select"/> reads the posterior at all (random acquisition does not).</summary>
    public virtual bool UsesPredictive => true;

    /// <summary>
    /// Per-point scores of a batch of candidates, float64 [N] (higher: acquire first). The caller owns the
    /// result; <paramref name="predictive"/> is not disposed.
    /// </summary>
    public abstract Tensor Score(Predictive predictive);

    /// <summary>
    /// Chooses <see cref="SelectionRequest.Count"/> of the candidates. The default scores them in
    /// memory-bounded batches (<see cref="PoolScorer"/>) and takes the highest scores (ties: lowest position).
    /// </summary>
    public virtual Selection Select(SelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = NewDisposeScope();
        var scores = PoolScorer.Score(request, this);
        return Selection.Top(scores, request.Count);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
