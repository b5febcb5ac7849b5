using Occam.Core;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>The training loss of a batch: the mean of the likelihood's training loss (its NLL, or a reweighted one), summed over stacked members so their gradients do not mix.</summary>
public static class BatchLoss
{
    /// <summary>
    /// Mean per-example NLL of the batch for one member ([B, ...] batch, outputs [B, O]); for K stacked
    /// members ([K, B, ...] batch, outputs [K, B, O]) the sum over members of each member's mean, a scalar.
    /// </summary>
    public static Tensor MeanNegativeLogLikelihood(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Batch batch, int members)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        var nll = likelihood.TrainingLoss(network.call(batch.Inputs), batch.Targets);
        return members == 1 ? nll.mean() : nll.mean(new long[] { 1 }).sum();
    }
}
