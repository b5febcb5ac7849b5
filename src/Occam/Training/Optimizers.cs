using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>Builds the trainer's optimisers (SGD, Adam, AdamW) from <see cref="TrainerOptions"/>.</summary>
public static class Optimizers
{
    /// <summary>One optimiser over <paramref name="parameters"/> at the options' learning rate.</summary>
    public static optim.Optimizer Create(IReadOnlyList<Parameter> parameters, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum),
            OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate),
            OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, weight_decay: options.DecoupledWeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimiser."),
        };
    }

    /// <summary>
    /// The options' optimiser with two parameter groups: <paramref name="scaled"/> at
    /// <paramref name="factor"/> × the learning rate, every other parameter at the learning rate.
    /// </summary>
    /// <param name="parameters">All parameters to train; must contain <paramref name="scaled"/>.</param>
    /// <param name="scaled">The parameter with its own learning rate.</param>
    /// <param name="factor">Its learning rate over the others' (positive).</param>
    /// <param name="options">Optimiser kind, learning rate, momentum, decoupled weight decay.</param>
    public static optim.Optimizer WithScaledGroup(IReadOnlyList<Parameter> parameters, Parameter scaled, double factor, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(scaled);
        ArgumentNullException.ThrowIfNull(options);
        if (!(factor > 0) || !double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), $"The learning-rate factor must be positive and finite; got {factor}.");
        var rest = parameters.Where(p => !ReferenceEquals(p, scaled)).ToList();
        if (rest.Count == parameters.Count) throw new ArgumentException("The scaled parameter is not among the parameters to train.", nameof(scaled));
        double lr = options.LearningRate, special = factor * lr;
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => optim.SGD([new SGD.ParamGroup(rest, lr, options.Momentum), new SGD.ParamGroup([scaled], special, options.Momentum)], lr, momentum: options.Momentum),
            OptimizerKind.Adam => optim.Adam([new Adam.ParamGroup(rest, lr), new Adam.ParamGroup([scaled], special)], lr),
            OptimizerKind.AdamW => optim.AdamW([new AdamW.ParamGroup(rest, lr, weight_decay: options.DecoupledWeightDecay), new AdamW.ParamGroup([scaled], special, weight_decay: options.DecoupledWeightDecay)], lr, weight_decay: options.DecoupledWeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimiser."),
        };
    }
}
