using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// The one path from raw inputs to a predictive in original units: standardise the inputs, cut them
/// into chunks (bounding memory), predict each chunk in standardised units, join the chunks, and undo
/// the target standardisation.
/// </summary>
internal static class PredictionPipeline
{
    /// <summary>Runs <paramref name="predictChunk"/> over chunks of at most <paramref name="batchSize"/> standardised inputs; the caller owns the result.</summary>
    public static Predictive Run(Tensor x, Standardiser standardiser, int batchSize, Device device, Func<Tensor, Predictive> predictChunk)
    {
        using var scope = NewDisposeScope();
        var inputs = standardiser.TransformInputs(x.to(device));
        var chunks = new List<Predictive>();
        try
        {
            for (long start = 0; start < inputs.shape[0]; start += batchSize)
            {
                using var inner = NewDisposeScope();
                chunks.Add(predictChunk(inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start))));
            }
            if (chunks.Count == 0) chunks.Add(predictChunk(inputs));
            using var joined = Predictive.Join(chunks);
            return standardiser.HasTargets ? joined.Affine(standardiser.TargetMean, standardiser.TargetSd) : joined.Slice(0, joined.Count);
        }
        finally
        {
            foreach (var c in chunks) c.Dispose();
        }
    }
}
