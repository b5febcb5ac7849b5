using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// BALD (Houlsby et al. 2011; Gal, Islam &amp; Ghahramani 2017): the mutual information between a point's
/// label and the model, I[y; θ | x, D] = H[E_θ p(y|x, θ)] − E_θ H[p(y|x, θ)], from the predictive's members.
/// Points where the members disagree score high; points that are merely ambiguous (every member unsure in
/// the same way) score zero. Regression uses the Gaussian forms of <see cref="Predictive.MutualInformation"/>.
/// </summary>
public sealed class Bald : Acquisition
{
    /// <inheritdoc />
    public override string Name => "bald";

    /// <inheritdoc />
    public override string Description => "mutual information between the label and the weights (disagreement of the members)";

    /// <inheritdoc />
    public override bool RequiresEpistemic => true;

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => true;

    /// <inheritdoc />
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        return predictive.MutualInformation();
    }
}
