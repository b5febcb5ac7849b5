using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// A module that can run at S weight vectors, or S stochastic passes, in one batched call (e.g. Occam's <see cref="Models.Mlp"/>,
/// whose weights live in one flat parameter). <see cref="WeightSpace.ForwardMany"/> uses it when
/// present; any other module is run once per weight vector.
/// </summary>
public interface IStackedForward
{
    /// <summary>Whether <see cref="ForwardAt"/> applies to this instance's whole weight vector.</summary>
    bool SupportsStackedForward { get; }

    /// <summary>
    /// Outputs [S, N, ...] at weight vectors <paramref name="thetas"/> [S, P] (in <see cref="WeightSpace"/>
    /// order), without touching the module's own weights. Dropout is off.
    /// </summary>
    Tensor ForwardAt(Tensor thetas, Tensor input);

    /// <summary>
    /// Outputs [S, N, ...] of S independent passes at the module's own weights in one call (each pass
    /// with its own dropout masks where dropout is active).
    /// </summary>
    Tensor ForwardRepeated(Tensor input, int passes);
}
