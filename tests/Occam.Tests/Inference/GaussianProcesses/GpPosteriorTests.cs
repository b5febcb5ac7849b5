using MathNet.Numerics.LinearAlgebra;
using Occam.Core;
using Occam.Data;
using Occam.GaussianProcesses;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Kernels;
using Occam.GaussianProcesses.Regression;
using Occam.Inference;
using Occam.Inference.GaussianProcesses;
using Occam.Posteriors.Storage;
using Occam.Tests.GaussianProcesses;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.GaussianProcesses;

/// <summary>
/// The GP methods through Occam's one predict path against the GP mathematics they wrap: the exact GP's
/// mean and noisy variance, the closed-form log marginal likelihood (MathNet), the EP classifier's
/// probabilities, and the save/load round trip.
/// </summary>
public sealed class GpPosteriorTests
{
    private static Dataset Regression(int n, int seed)
    {
        var g = new TorchSharp.torch.Generator((ulong)seed);
        var x = rand(new long[] { n, 2 }, generator: g) * 6 - 3;
        var y = (x.select(1, 0).sin() + 0.3 * x.select(1, 1) + 0.1 * randn(new long[] { n }, generator: g)).unsqueeze(1) * 5 + 20;
        return new Dataset(x, y, TaskKind.Regression);
    }

    [Fact]
    public void Gp_PredictiveThroughOccam_EqualsExactGpMeanAndNoisyVariance()
    {
        using var train = Regression(40, 1);
        using var test = Regression(15, 2);
        using var posterior = (GpPosterior)new GaussianProcessMethod(new ModelSetup(), new GpOptions { Iterations = 30 }).Fit(train, new FitContext(Seed: 3));
        using var predictive = posterior.Predict(test.Inputs);
        using var mean = predictive.Mean;
        using var variance = predictive.Variance;

        var standardiser = posterior.Standardiser;
        using var standardTrain = standardiser.Transform(train);
        using var standardTest = standardiser.TransformInputs(test.Inputs);
        using var kernel = posterior.State.Kernel.Build();
        GpKernelSpec.AssignRaw(kernel, posterior.State.KernelRaw);
        using var x = standardTrain.Inputs.to_type(ScalarType.Float64);
        using var y = standardTrain.Targets.to_type(ScalarType.Float64);
        using var xs = standardTest.to_type(ScalarType.Float64);
        using var gp = new ExactGaussianProcess(kernel, x, y, new ExactGpOptions { NoiseVariance = posterior.State.NoiseVariance, LearnNoise = false });
        using var truth = gp.Predict(xs);
        double shift = standardiser.TargetMean[0], scale = standardiser.TargetSd[0];
        using var expectedMean = truth.Mean * scale + shift;
        using var expectedVariance = truth.NoisyVariance * (scale * scale);
        Assert.True(mean.squeeze(1).allclose(expectedMean, 1e-9, 1e-9), "predictive mean differs from the exact GP's");
        Assert.True(variance.squeeze(1).allclose(expectedVariance, 1e-6, 0), "predictive variance differs from the exact GP's noisy variance");
        using var epistemic = predictive.Epistemic;
        using var expectedEpistemic = truth.LatentVariance * (scale * scale);
        Assert.True(epistemic.squeeze(1).allclose(expectedEpistemic, 1e-9, 1e-12), "the epistemic part is the latent variance");
    }

    [Fact]
    public void Gp_Evidence_EqualsClosedFormLogMarginalLikelihood()
    {
        using var train = Regression(30, 4);
        using var posterior = (GpPosterior)new GaussianProcessMethod(new ModelSetup(), new GpOptions { Iterations = 20 }).Fit(train, new FitContext(Seed: 1));
        using var standard = posterior.Standardiser.Transform(train);
        var x = GpTestData.ToMatrix(standard.Inputs.to_type(ScalarType.Float64));
        var y = GpTestData.ToVector(standard.Targets.to_type(ScalarType.Float64));
        using var kernel = posterior.State.Kernel.Build();
        GpKernelSpec.AssignRaw(kernel, posterior.State.KernelRaw);
        var scale = (ScaleKernel)kernel;
        double s = scale.Outputscale.Scalar;
        var ell = ((SquaredExponentialKernel)scale.Base).Lengthscale.Values;
        Assert.Equal(2, ell.Length); // ARD
        var k = GpTestData.Gram(x, x, (a, b) => s * Math.Exp(-0.5 * GpTestData.ScaledSquaredDistance(a, b, ell)));
        var a = k + Matrix<double>.Build.DenseIdentity(30) * posterior.State.NoiseVariance;
        double dataFit = -0.5 * y.DotProduct(a.Solve(y));
        double complexity = -0.5 * GpTestData.LogDet(a);
        double constant = -15 * Math.Log(2 * Math.PI);

        var e = posterior.Evidence;
        Assert.Equal(dataFit, e.DataFit, 1e-8);
        Assert.Equal(complexity + constant, e.OccamFactor, 1e-8);
        Assert.Equal(dataFit + complexity + constant, e.LogMarginalLikelihood, 1e-8);
        Assert.Equal(GpTestData.LogDet(a), e.LogDeterminant, 1e-8);
        Assert.Equal(30, e.Parameters);
        Assert.Equal(Math.Sqrt(posterior.State.NoiseVariance), e.NoiseSd!.Value, 12);
    }

    [Fact]
    public void GpBinary_ProbabilitiesEqualTheEpClassifiers()
    {
        using var train = SyntheticData.TwoMoons(40, seed: 5);
        using var posterior = (GpPosterior)new GaussianProcessMethod(new ModelSetup()).Fit(train, new FitContext(Seed: 1));
        Assert.Equal(GpModelKind.EpBinary, posterior.State.Model);
        using var predictive = posterior.Predict(train.Inputs);
        using var probabilities = predictive.Probabilities;

        using var standard = posterior.Standardiser.Transform(train);
        using var kernel = posterior.State.Kernel.Build();
        GpKernelSpec.AssignRaw(kernel, posterior.State.KernelRaw);
        using var x = standard.Inputs.to_type(ScalarType.Float64);
        using var ep = new EpBinaryClassifier(kernel, x, standard.Targets);
        using var truth = ep.Predict(x);
        Assert.True(probabilities.select(1, 1).allclose(truth.Probability, 1e-10, 1e-12));
        Assert.Equal(ep.LogMarginalLikelihood().Total, posterior.Evidence.LogMarginalLikelihood, 10);
    }

    [Fact]
    public void GpMulticlass_LatentEqualsTheLaplaceClassifiers()
    {
        var g = new TorchSharp.torch.Generator(3);
        using var labels = arange(45, dtype: ScalarType.Int64) % 3;
        using var centres = tensor(new float[] { 0, 0, 3, 0, 0, 3 }).reshape(3, 2);
        using var x = centres.index_select(0, labels) + randn(new long[] { 45, 2 }, generator: g);
        using var train = new Dataset(x, labels, TaskKind.Classification, 3);
        using var posterior = (GpPosterior)new GaussianProcessMethod(new ModelSetup()).Fit(train, new FitContext(Seed: 1));
        Assert.Equal(GpModelKind.LaplaceMulticlass, posterior.State.Model);
        using var standard = posterior.Standardiser.Transform(train);
        using var inputs = standard.Inputs.to_type(ScalarType.Float64);
        var (mean, covariance) = posterior.Latent(standard.Inputs);
        using (mean)
        using (covariance)
        {
            using var kernel = posterior.State.Kernel.Build();
            GpKernelSpec.AssignRaw(kernel, posterior.State.KernelRaw);
            using var laplace = new LaplaceMulticlassClassifier(kernel, inputs, labels, 3);
            using var truth = laplace.Predict(inputs);
            Assert.True(mean.allclose(truth.LatentMean, 1e-9, 1e-12));
            Assert.True(covariance.allclose(truth.LatentCovariance, 1e-9, 1e-12));
        }
        using var predictive = posterior.Predict(x);
        using var sums = predictive.Probabilities.sum(1);
        Assert.True(sums.allclose(ones_like(sums), 1e-9, 1e-9));
    }

    public static TheoryData<string, bool> RoundTrips => new()
    {
        { "gp", true }, { "sgpr", true }, { "gp-nngp", true }, { "dkl", true },
        { "gp", false }, { "dkl", false },
    };

    [Theory, MemberData(nameof(RoundTrips))]
    public void SaveLoad_RestoresPredictionsAndEvidence(string method, bool regression)
    {
        using var train = regression ? Regression(48, 6) : SyntheticData.TwoMoons(48, seed: 6);
        var entry = MethodRegistry.Default.Find(method)!;
        var options = method == "dkl" ? new DklOptions { Steps = 40 } : entry.DefaultOptions;
        using var posterior = (GpPosterior)entry.Create(new ModelSetup { Network = new Occam.Models.MlpSpec([8]) }, options).Fit(train, new FitContext(Seed: 2));
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = (GpPosterior)PosteriorStore.Load(dir);
        using var p = posterior.Predict(train.Inputs);
        using var q = loaded.Predict(train.Inputs);
        using var pm = p.Mean;
        using var qm = q.Mean;
        Assert.True(pm.allclose(qm, 1e-12, 1e-12));
        if (regression)
        {
            using var pv = p.Variance;
            using var qv = q.Variance;
            Assert.True(pv.allclose(qv, 1e-12, 1e-12));
        }
        Assert.Equal(posterior.Evidence, loaded.Evidence with { PriorPrecision = posterior.Evidence.PriorPrecision });
        Assert.Equal(posterior.State.Fitting, loaded.State.Fitting);
    }
}
