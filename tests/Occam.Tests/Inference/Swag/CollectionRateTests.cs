using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Geometry;
using Occam.Inference;
using Occam.Inference.Swag;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Swag;

/// <summary>
/// SWAG's collection rate: λ₁ of the mean training loss against the dense Hessian, the cap at 1/λ₁ on a
/// near-noiseless regression, where the uncapped default runs off, and an explicit rate left alone.
/// </summary>
public sealed class CollectionRateTests
{
    private static double LargestEigenvalue(Tensor dense) => linalg.eigvalsh(dense.to_type(ScalarType.Float64)).max().item<double>();

    [Fact]
    public void TopCurvature_IsTheLargestEigenvalueOfTheDenseHessianOfTheMeanLoss()
    {
        using var data = SyntheticData.GapRegression(64, seed: 3);
        using var network = new MlpSpec([4]).Create([1], 1, 1, seed: 5); // 13 weights: Lanczos is exact
        using var likelihood = new GaussianLikelihood(0.3, learnNoise: false);
        double top = CollectionRate.TopCurvature(network, likelihood, data, 1, seed: 1, CPU);
        using var dense = CurvatureOperator.Hessian(network, likelihood, data).ToDense();
        double expected = LargestEigenvalue(dense) / data.Count;
        Assert.Equal(expected, top, expected * 1e-3);
    }

    [Fact]
    public void TopCurvature_ByPowerIteration_ForLargeNetworks_FindsTheSameEigenvalue()
    {
        using var data = SyntheticData.GapRegression(64, seed: 3);
        using var network = new MlpSpec([4]).Create([1], 1, 1, seed: 5);
        using var likelihood = new GaussianLikelihood(0.3, learnNoise: false);
        double lanczos = CollectionRate.TopCurvature(network, likelihood, data, 1, seed: 1, CPU);
        double power = CollectionRate.TopCurvature(network, likelihood, data, 1, seed: 1, CPU, lanczosLimit: 0);
        Assert.Equal(lanczos, power, lanczos * 0.02);
    }

    [Fact]
    public void TopCurvature_OfStackedMembers_IsTheLargestOverTheMembers()
    {
        using var data = SyntheticData.GapRegression(64, seed: 3);
        using var network = new MlpSpec([3]).Create([1], 1, 2, seed: 7); // 2 × 10 weights
        using var likelihood = new GaussianLikelihood(0.3, learnNoise: false).ForMembers(2, CPU);
        double top = CollectionRate.TopCurvature(network, likelihood, data, 2, seed: 1, CPU);
        var space = WeightSpace.Of(network);
        var batch = new Batch(data.Inputs.unsqueeze(0).expand(2, -1, -1), data.Targets.unsqueeze(0).expand(2, -1, -1));
        using var dense = CurvatureOperator.FromProduct(space.Count,
            v => space.HessianVector(() => BatchLoss.MeanNegativeLogLikelihood(network, likelihood, batch, 2), v).to_type(ScalarType.Float64), "stacked").ToDense();
        // block diagonal: no curvature couples the members
        Assert.Equal(0, dense.narrow(0, 0, space.Count / 2).narrow(1, space.Count / 2, space.Count / 2).abs().max().item<double>(), 1e-5);
        Assert.Equal(LargestEigenvalue(dense), top, LargestEigenvalue(dense) * 1e-3);
    }

    /// <summary>Fits SWAG on a near-noiseless regression; returns the collection rate it reported and the SWAG predictive mean's RMSE on the training data.</summary>
    private static (double Rate, double Rmse) FitSwag(double? rate)
    {
        using var train = SyntheticData.GapRegression(128, seed: 2);
        var setup = new ModelSetup
        {
            Network = new MlpSpec([32]),
            Likelihood = new GaussianLikelihood(0.01, learnNoise: false), // near-noiseless: λ₁ ∝ 1/σ²
            Training = new TrainerOptions { Epochs = 20, BatchSize = 16, LearningRate = 1e-2 },
        };
        var reports = new RecordingProgress();
        using var posterior = new SwagMethod(setup, new SwagOptions { SwagLearningRate = rate, Samples = 8 }).Fit(train, new FitContext(3, Progress: reports));
        const string marker = "collection at SGD rate ";
        var stage = reports.Seen.Select(r => r.Stage).First(s => s.Contains(marker, StringComparison.Ordinal));
        double used = double.Parse(stage[(stage.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..], CultureInfo.InvariantCulture);
        using var scope = NewDisposeScope();
        using var predictive = posterior.Predict(train.Inputs);
        double rmse = predictive.Mean.to_type(ScalarType.Float64).sub(train.Targets.to_type(ScalarType.Float64)).square().mean().sqrt().item<double>();
        return (used, rmse);
    }

    [Fact]
    public void NearNoiselessRegression_TheDefaultRateIsCapped_AndTheIteratesStayOnTheData()
    {
        var (capped, fitted) = FitSwag(null);
        Assert.True(capped < 1e-3, $"the cap should bind below Adam's rate / 10 = 0.001; got {capped}");
        Assert.True(fitted < 0.5, $"SWAG at the capped rate should fit the data; RMSE {fitted}");
        // the uncapped default runs off (to a non-finite loss here): what the cap is for
        var e = Assert.Throws<TrainingDivergedException>(() => FitSwag(1e-3));
        Assert.Contains("collection at SGD rate 0.001", e.Message);
    }
}
