using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Mean standard deviation (Kampffmeyer et al. 2016; Kendall et al. 2015; as in Gal, Islam &amp;
/// Ghahramani 2017): the class probabilities' standard deviation over the members,
/// σ_c = √(E[p_c²] − E[p_c]²), averaged over the C classes.
/// </summary>
public sealed class MeanStd : Acquisition
{
    /// <inheritdoc />
    public override string Name => "mean-std";

    /// <inheritdoc />
    public override string Description => "standard deviation of the class probabilities over the members, averaged over classes";

    /// <inheritdoc />
    public override bool RequiresEpistemic => true;

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => task == TaskKind.Classification;

    /// <inheritdoc />
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        using var scope = NewDisposeScope();
        using var members = predictive.MemberProbabilities; // [S, N, C]
        var mean = members.mean(new long[] { 0 });
        var variance = (members.square().mean(new long[] { 0 }) - mean.square()).clamp_min(0);
        return variance.sqrt().mean(new long[] { 1 }).MoveToOuterDisposeScope();
    }
}
