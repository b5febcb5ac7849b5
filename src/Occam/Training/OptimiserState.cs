using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>
/// The state of an optimiser-driven kernel: the optimiser and its parameter groups' initial learning
/// rates, which the schedule's factor multiplies at every step. Disposing it disposes the optimiser.
/// </summary>
public sealed class OptimiserState : IDisposable
{
    private readonly optim.Optimizer _optimizer;
    private readonly optim.ILearningRateController[] _groups;
    private readonly double[] _initialRates;

    /// <summary>Takes over <paramref name="optimizer"/>.</summary>
    public OptimiserState(optim.Optimizer optimizer)
    {
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _groups = optimizer.ParamGroups.ToArray();
        _initialRates = _groups.Select(g => g.LearningRate).ToArray();
    }

    /// <summary>The optimiser.</summary>
    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>Sets every group's learning rate to its initial rate × <paramref name="factor"/>.</summary>
    public void Schedule(double factor)
    {
        for (int g = 0; g < _groups.Length; g++) _groups[g].LearningRate = _initialRates[g] * factor;
    }

    /// <inheritdoc />
    public void Dispose() => _optimizer.Dispose();
}
