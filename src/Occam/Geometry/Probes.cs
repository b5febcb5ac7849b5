using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>Random probe vectors for the stochastic estimators.</summary>
internal static class Probes
{
    /// <summary>A Rademacher vector [P] (entries ±1 with equal probability), float64: E[z zᵀ] = I and ‖z‖² = P exactly.</summary>
    public static Tensor Rademacher(long size, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var bits = randint(0, 2, new long[] { size }, ScalarType.Float64, generator: generator);
        return (bits * 2 - 1).MoveToOuterDisposeScope();
    }
}
