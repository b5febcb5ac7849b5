using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;
using Occam.Inference.Map;

namespace Occam.Tests.Inference;

/// <summary>
/// The 1-D set with a gap in (−1, 1) between two clusters of training inputs. Bayesian
/// predictives must widen where there is no data; MAP's (aleatoric only) does not.
/// </summary>
public sealed class GapUncertaintyTests
{
    // InitScale 4: members start from diverse functions (a wider "prior"); with PyTorch's default
    // init, ReLU members all converge to near-linear interpolants across the gap.
    private static readonly ModelSetup Setup = new()
    {
        Network = new MlpSpec([50, 50], Activation.ReLU, InitScale: 4.0),
        Training = new TrainerOptions { Epochs = 300, BatchSize = 32, LearningRate = 1e-2 },
    };

    [Fact]
    public void Ensemble_SdInGap_ClearlyLargerThanAtData()
    {
        var s = Measure(new EnsembleMethod(Setup, new EnsembleOptions { Members = 5, Likelihood = EnsembleLikelihood.Setup }));
        Assert.True(s.GapSd > 1.3 * s.DataSd, $"ensemble sd: gap {s.GapSd:F3} vs data {s.DataSd:F3}");
        Assert.True(s.GapEpistemicSd > 2.0 * s.DataEpistemicSd, $"ensemble epistemic sd: gap {s.GapEpistemicSd:F3} vs data {s.DataEpistemicSd:F3}");
    }

    [Fact]
    public void McDropout_SdAwayFromData_ClearlyLargerThanAtData()
    {
        // MC dropout widens away from the data but, like mean-field methods, not in between two
        // clusters of a ReLU network (Foong et al. 2019); we test what it is known to do.
        var s = Measure(new McDropoutMethod(Setup, new McDropoutOptions { DropoutRate = 0.1, Samples = 200 }));
        Assert.True(s.OutsideSd > 1.25 * s.DataSd, $"MC dropout sd: outside {s.OutsideSd:F3} vs data {s.DataSd:F3}; epistemic {s.OutsideEpistemicSd:F3} vs {s.DataEpistemicSd:F3}");
        Assert.True(s.OutsideEpistemicSd > 2.0 * s.DataEpistemicSd, $"MC dropout epistemic sd: outside {s.OutsideEpistemicSd:F3} vs data {s.DataEpistemicSd:F3}");
    }

    [Fact]
    public void Map_HasNoEpistemicVariance()
    {
        using var train = SyntheticData.GapRegression(160, seed: 1);
        using var posterior = new MapMethod(Setup).Fit(train, new FitContext(Seed: 3));
        using var x = linspace(-2, 2, 41).unsqueeze(1);
        using var predictive = posterior.Predict(x);
        using var epistemic = predictive.Epistemic;
        Assert.Equal(0.0, epistemic.abs().max().item<double>(), 12);
        Assert.Equal(1, predictive.MemberCount);
    }

    private sealed record Spread(double GapSd, double DataSd, double OutsideSd, double GapEpistemicSd, double DataEpistemicSd, double OutsideEpistemicSd);

    private static Spread Measure(IPosteriorMethod method)
    {
        using var train = SyntheticData.GapRegression(160, seed: 1);
        using var posterior = method.Fit(train, new FitContext(Seed: 3));
        var gap = Sds(posterior, linspace(-0.6, 0.6, 31));
        var data = Sds(posterior, cat(new[] { linspace(-1.9, -1.1, 16), linspace(1.1, 1.9, 16) }));
        var outside = Sds(posterior, cat(new[] { linspace(-3.5, -2.5, 16), linspace(2.5, 3.5, 16) }));
        return new Spread(gap.Total, data.Total, outside.Total, gap.Epistemic, data.Epistemic, outside.Epistemic);
    }

    private static (double Total, double Epistemic) Sds(IPosterior posterior, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var predictive = posterior.Predict(x.unsqueeze(1));
        return (predictive.StandardDeviation.mean().item<double>(), predictive.Epistemic.sqrt().mean().item<double>());
    }
}
