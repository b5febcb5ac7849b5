using Occam.Data;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>Random acquisition, the baseline: b candidates drawn uniformly without replacement from the request's seeded generator; the posterior is not read.</summary>
public sealed class RandomAcquisition : Acquisition
{
    /// <inheritdoc />
    public override string Name => "random";

    /// <inheritdoc />
    public override string Description => "uniformly at random (the baseline)";

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => true;

    /// <inheritdoc />
    public override bool UsesPredictive => false;

    /// <summary>Independent U(0, 1) scores (any predictive's N), so top-b of them is a uniform draw.</summary>
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        return rand(predictive.Count, ScalarType.Float64);
    }

    /// <inheritdoc />
    public override Selection Select(SelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = NewDisposeScope();
        long count = request.Candidates.shape[0];
        int k = (int)Math.Min(request.Count, count);
        var order = randperm(count, generator: request.Random, dtype: ScalarType.Int64);
        return new Selection(order.narrow(0, 0, k).data<long>().ToArray(), Enumerable.Repeat(double.NaN, k).ToArray());
    }
}
