using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Scores a pool in memory-bounded batches: one prediction per batch of candidates, whose predictive
/// (S × batch × classes float64 values) is scored and disposed before the next, so memory does not grow
/// with the pool.
/// </summary>
public static class PoolScorer
{
    /// <summary>Scores of every candidate of <paramref name="request"/> by <paramref name="acquisition"/>, float64 [M] on the CPU; the caller owns them.</summary>
    /// <exception cref="InvalidOperationException">The acquisition needs an epistemic part and the posterior predicts with a single categorical member.</exception>
    public static Tensor Score(SelectionRequest request, Acquisition acquisition)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(acquisition);
        long count = request.Candidates.shape[0];
        if (count == 0) return empty(0, ScalarType.Float64);
        using var scope = NewDisposeScope();
        int batch = Math.Max(1, request.ScoreBatchSize);
        var options = request.Predict with { BatchSize = batch };
        var parts = new List<Tensor>();
        for (long start = 0; start < count; start += batch)
        {
            using var inner = NewDisposeScope();
            using var predictive = request.Posterior.Predict(request.Candidates.narrow(0, start, Math.Min(batch, count - start)), options);
            if (acquisition.RequiresEpistemic && predictive.Task == TaskKind.Classification && predictive.MemberCount == 1)
                throw new InvalidOperationException($"{acquisition.Name} needs a predictive with an epistemic part, but {request.Posterior.Method} predicted with a single member.");
            parts.Add(acquisition.Score(predictive).to(CPU).to_type(ScalarType.Float64).MoveToOuterDisposeScope());
        }
        return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
    }
}
