using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>The candidates an acquisition chose, in the order it chose them.</summary>
/// <param name="Positions">Positions into the request's candidate list.</param>
/// <param name="Scores">The score each had when chosen (for BatchBALD: the joint score of the batch so far; NaN where none).</param>
public sealed record Selection(long[] Positions, double[] Scores)
{
    /// <summary>The <paramref name="count"/> highest of <paramref name="scores"/> (float64 [N]), highest first; ties go to the lowest position.</summary>
    public static Selection Top(Tensor scores, int count)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 1) throw new ArgumentException($"Scores must be [N]; got [{string.Join(", ", scores.shape)}].", nameof(scores));
        int k = (int)Math.Min(count, scores.shape[0]);
        if (k < 1) return new Selection([], []);
        using var scope = NewDisposeScope();
        var values = scores.to_type(ScalarType.Float64).cpu().nan_to_num(nan: double.NegativeInfinity);
        // A stable descending sort keeps equal scores in position order, so the choice does not depend on libtorch's top-k tie rule.
        var (sorted, order) = values.sort(0, descending: true, stable: true);
        var positions = order.narrow(0, 0, k).data<long>().ToArray();
        var chosen = sorted.narrow(0, 0, k).data<double>().ToArray();
        return new Selection(positions, chosen);
    }
}
