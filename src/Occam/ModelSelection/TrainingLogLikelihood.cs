using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.ModelSelection;

/// <summary>The data fit log p(D | θ) = Σₙ log p(yₙ | xₙ, θ) of a network at one weight vector, summed over a data set in batches.</summary>
public static class TrainingLogLikelihood
{
    /// <summary>
    /// Σₙ log p(yₙ | xₙ, θ) over <paramref name="data"/> (already in the units the network was trained in; inputs and regression targets are converted to the network's dtype), with the
    /// network set to <paramref name="theta"/> for the pass and restored afterwards. Accumulated in float64.
    /// </summary>
    /// <param name="network">The network (evaluation mode; not disposed).</param>
    /// <param name="likelihood">The likelihood with its noise (not disposed).</param>
    /// <param name="theta">θ [P] in <see cref="WeightSpace"/> order (converted to the network's dtype; not disposed).</param>
    /// <param name="data">The data (not disposed).</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <exception cref="ArgumentException">θ has the wrong length, or the batch size is not positive.</exception>
    public static double At(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor theta, Dataset data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1; got {batchSize}.");
        var space = WeightSpace.Of(network);
        if (theta.dim() != 1 || theta.shape[0] != space.Count)
            throw new ArgumentException($"θ must be a vector of the network's {space.Count} weights; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        using var noGrad = no_grad();
        using var converted = theta.detach().to(space.DType, space.Device); // detach: a new handle, so disposing it leaves the caller's tensor alone
        using var swap = space.At(converted);
        double total = 0;
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(batchSize, data.Count - start);
            var x = data.Inputs.narrow(0, start, length).to(space.DType, space.Device);
            var y = data.Targets.narrow(0, start, length).to(space.Device);
            if (data.Task == TaskKind.Regression) y = y.to_type(space.DType);
            total -= likelihood.NegativeLogLikelihood(space.Forward(x), y).to_type(ScalarType.Float64).sum().item<double>();
        }
        return total;
    }
}
