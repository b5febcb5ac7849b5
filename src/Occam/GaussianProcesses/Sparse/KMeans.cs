using TorchSharp;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Sparse;

/// <summary>
/// Seeded k-means: k-means++ seeding (Arthur &amp; Vassilvitskii 2007) followed by Lloyd iterations, used
/// to place SGPR inducing inputs. The same seed gives the same centres.
/// </summary>
public static class KMeans
{
    /// <summary>
    /// k cluster centres of the rows of <paramref name="x"/> (float64 [N, D], not disposed): a new float64
    /// [k, D] tensor the caller owns. A cluster that loses all its points keeps its previous centre.
    /// </summary>
    /// <param name="x">The points.</param>
    /// <param name="k">The number of centres, 1 ≤ k ≤ N.</param>
    /// <param name="iterations">Lloyd iterations (≥ 0; stops early when no assignment changes).</param>
    /// <param name="seed">Seed of the k-means++ draws.</param>
    public static Tensor Centers(Tensor x, int k, int iterations = 25, int seed = 0)
    {
        GpChecks.Inputs(x, nameof(x), minRows: 1);
        long n = x.size(0);
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k-means needs 1 ≤ k ≤ N = {n}; got k = {k}.");
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"k-means iterations must be non-negative; got {iterations}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var points = x.detach();
        var generator = new Generator((ulong)seed, points.device);
        var centres = Seed(points, k, generator);
        Tensor? previous = null;
        for (int it = 0; it < iterations; it++)
        {
            using var step = NewDisposeScope();
            var assignment = Assign(points, centres);
            if (previous is not null && assignment.eq(previous).all().item<bool>()) break;
            var sums = zeros(k, points.size(1), dtype: ScalarType.Float64, device: points.device).index_add_(0, assignment, points, 1.0);
            var counts = assignment.bincount(null, k).to_type(ScalarType.Float64).unsqueeze(1);
            var updated = where(counts > 0, sums / counts.clamp_min(1.0), centres);
            centres = updated.MoveToOuterDisposeScope();
            previous = assignment.MoveToOuterDisposeScope();
        }
        return centres.clone().MoveToOuterDisposeScope();
    }

    /// <summary>k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest centre so far.</summary>
    private static Tensor Seed(Tensor points, int k, Generator generator)
    {
        long n = points.size(0);
        var chosen = new long[k];
        chosen[0] = randint(n, [1], generator: generator, device: points.device).item<long>();
        var nearest = (points - points[chosen[0]]).square().sum(1);
        for (int j = 1; j < k; j++)
        {
            using var step = NewDisposeScope();
            double total = nearest.sum().item<double>();
            chosen[j] = total > 0
                ? nearest.multinomial(1, false, generator).item<long>()
                : randint(n, [1], generator: generator, device: points.device).item<long>();
            var distance = (points - points[chosen[j]]).square().sum(1);
            nearest = minimum(nearest, distance).MoveToOuterDisposeScope();
        }
        return points.index_select(0, tensor(chosen, device: points.device));
    }

    /// <summary>The index of the nearest centre for every point, in row chunks that bound memory.</summary>
    private static Tensor Assign(Tensor points, Tensor centres)
    {
        long n = points.size(0), chunk = Math.Max(1, (1L << 22) / centres.size(0));
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            var block = points.narrow(0, start, Math.Min(chunk, n - start));
            parts.Add(Distances.Squared(block, centres).argmin(1));
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }
}
