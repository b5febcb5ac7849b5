using Occam.Data;
using Occam.Runtime;

namespace Occam.Inference;

/// <summary>
/// Refuses a network that cannot fit in memory before anything is allocated: its weights, gradients and
/// optimiser state (five floats per weight) and one batch's activations, against the memory available
/// now. Architectures whose size is not known in advance (custom modules) are not checked.
/// </summary>
public static class MemoryPlan
{
    /// <summary>Throws <see cref="ModelTooLargeException"/> when training <paramref name="setup"/>'s network on <paramref name="train"/> would not fit.</summary>
    public static void Check(ModelSetup setup, Dataset train, int outputs, long? available = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(train);
        if (setup.Network.Size(train.InputShape, outputs) is not { } size) return;
        double bytes = 4.0 * (5.0 * size.Parameters + 3.0 * size.ActivationsPerExample * setup.Training.BatchSize);
        long budget = available ?? MemoryBudget.Available();
        if (bytes > 0.8 * budget)
            throw new ModelTooLargeException(FormattableString.Invariant(
                $"{setup.Network.Describe()} has {size.Parameters:N0} weights: training needs about {MemoryBudget.Format(bytes)} (weights, gradients, optimiser state and a batch of activations), but {MemoryBudget.Format(budget)} of memory is available; choose a smaller network"));
    }
}

/// <summary>The model would not fit in memory; nothing was allocated.</summary>
public sealed class ModelTooLargeException(string message) : OccamException(message);
