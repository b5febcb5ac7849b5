using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Variation ratios (Freeman 1965; Gal, Islam &amp; Ghahramani 2017): 1 − f/S, where f is how many of the
/// S members vote for the modal class (each member votes for its most probable class; ties go to the
/// lowest class index). Zero when every member picks the same class.
/// </summary>
public sealed class VariationRatios : Acquisition
{
    /// <inheritdoc />
    public override string Name => "variation-ratios";

    /// <inheritdoc />
    public override string Description => "1 − (votes for the modal class) / S over the members' most probable classes";

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
        var votes = nn.functional.one_hot(members.argmax(2), members.shape[2]).sum(new long[] { 0 }); // [N, C]
        var modal = votes.amax(new long[] { 1 }).to_type(ScalarType.Float64);
        return (1.0 - modal / predictive.MemberCount).MoveToOuterDisposeScope();
    }
}
