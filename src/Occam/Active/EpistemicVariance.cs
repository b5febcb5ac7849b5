using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Regression: the epistemic variance of the predictive, Var_θ[μ_θ(x)] plus any closed-form function-space
/// variance (<see cref="Predictive.Epistemic"/>), summed over targets, in the data's original units. It
/// ignores the noise, so it asks where the model, not the data, is uncertain.
/// </summary>
public sealed class EpistemicVariance : Acquisition
{
    /// <inheritdoc />
    public override string Name => "epistemic-variance";

    /// <inheritdoc />
    public override string Description => "regression: variance of the members' means (the epistemic part), summed over targets";

    /// <inheritdoc />
    public override bool RequiresEpistemic => true;

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => task == TaskKind.Regression;

    /// <inheritdoc />
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        using var scope = NewDisposeScope();
        using var epistemic = predictive.Epistemic;
        return epistemic.sum(new long[] { 1 }).MoveToOuterDisposeScope();
    }
}
