using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Maximum entropy (Shannon 1948; Gal, Islam &amp; Ghahramani 2017): the entropy of the predictive
/// H[E_θ p(y|x, θ)], total uncertainty, aleatoric and epistemic together. Works with a single member too.
/// </summary>
public sealed class MaxEntropy : Acquisition
{
    /// <inheritdoc />
    public override string Name => "entropy";

    /// <inheritdoc />
    public override string Description => "entropy of the predictive (total uncertainty)";

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => true;

    /// <inheritdoc />
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        return predictive.Entropy();
    }
}
