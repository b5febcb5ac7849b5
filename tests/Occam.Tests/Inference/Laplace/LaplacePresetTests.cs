using Occam.Core;
using Occam.Inference.Laplace;

namespace Occam.Tests.Inference.Laplace;

public sealed class LaplacePresetTests
{
    [Theory]
    [InlineData("laplace", WeightSubset.LastLayer, HessianStructure.Kron, true)]
    [InlineData("laplace-ll-full", WeightSubset.LastLayer, HessianStructure.Full, true)]
    [InlineData("laplace-ll-diag", WeightSubset.LastLayer, HessianStructure.Diagonal, true)]
    [InlineData("laplace-all-kron", WeightSubset.All, HessianStructure.Kron, false)]
    [InlineData("laplace-all-diag", WeightSubset.All, HessianStructure.Diagonal, false)]
    [InlineData("laplace-all-full", WeightSubset.All, HessianStructure.Full, false)]
    [InlineData("laplace-all-lowrank", WeightSubset.All, HessianStructure.LowRank, false)]
    [InlineData("laplace-subnet", WeightSubset.Subnetwork, HessianStructure.Full, true)]
    public void Presets_FixSubsetAndStructure_AndAllWeightsKeepTheMapNoise(string name, WeightSubset subset, HessianStructure structure, bool tuneNoise)
    {
        var entry = MethodRegistry.Default.Parse(name).Entry;
        var options = (LaplaceOptions)entry.DefaultOptions;
        Assert.Equal((subset, structure, tuneNoise), (options.Subset, options.Structure, options.TuneNoise));
        var given = (LaplaceOptions)entry.Bind(new Dictionary<string, string> { ["tune-noise"] = "true" });
        Assert.True(given.TuneNoise);
    }
}
