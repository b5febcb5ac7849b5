using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>
/// How a method changes the training loop: its own optimiser (e.g. IVON, which samples weights
/// inside <c>step(closure)</c>), an extra loss term (e.g. the KL term of variational inference),
/// and whether it accounts for the prior itself.
/// </summary>
public sealed record TrainingHooks
{
    /// <summary>
    /// Creates the optimiser over all trainable parameters (the network's, then the likelihood's);
    /// null uses <see cref="TrainerOptions.Optimizer"/>. The trainer calls its <c>step(closure)</c>,
    /// so an optimiser may evaluate the closure several times. The trainer does not dispose it.
    /// </summary>
    public Func<IReadOnlyList<Parameter>, optim.Optimizer>? Optimizer { get; init; }

    /// <summary>A per-example term added to every step's mean negative log-likelihood (e.g. KL(q‖p)/N).</summary>
    public Func<Tensor>? Penalty { get; init; }

    /// <summary>
    /// A per-example term with a closed-form gradient, applied after the backward pass: it adds its
    /// gradient to the parameters' gradients itself and returns its value (a detached scalar), which the
    /// trainer adds to the reported loss. It skips autograd, e.g. for KL(q‖p)/N of mean-field VI
    /// (<see cref="Inference.Variational.BayesianNetwork.AddKullbackLeiblerGradient"/>).
    /// </summary>
    public Func<Tensor>? GradientPenalty { get; init; }

    /// <summary>
    /// The optimiser or the penalty accounts for the prior, so the trainer adds no weight decay and
    /// reports the loss without the prior term (default false).
    /// </summary>
    public bool HandlesPrior { get; init; }
}
