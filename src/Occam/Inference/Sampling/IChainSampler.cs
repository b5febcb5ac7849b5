using Occam.Core;
using Occam.Data;
using Occam.Posteriors;

namespace Occam.Inference.Sampling;

/// <summary>
/// A sampler whose K chains can run apart (one process or task each) and be joined into the posterior the
/// single process builds with its chains run one after another.
/// </summary>
public interface IChainSampler
{
    /// <summary>Runs chain <paramref name="chain"/> (0..K−1) alone; the one-chain posterior is the caller's to dispose.</summary>
    WeightPosterior FitChain(Dataset train, FitContext context, int chain);

    /// <summary>Joins K one-chain posteriors, in chain order, into the K-chain posterior (the caller disposes every posterior).</summary>
    WeightPosterior CombineChains(Dataset train, FitContext context, IReadOnlyList<WeightPosterior> chains);
}
