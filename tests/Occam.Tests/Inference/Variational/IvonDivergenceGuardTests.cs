using Occam.Core;
using Occam.Data;
using Occam.Inference.Variational;
using Occam.Likelihoods;
using Occam.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Variational;

/// <summary>
/// IVON's divergence guard: a learning rate far too large runs off without it and is rolled back with it; a
/// healthy run is left exactly as the bare optimiser leaves it; a hopeless rate is refused with a clear error.
/// </summary>
public sealed class IvonDivergenceGuardTests(ITestOutputHelper output)
{
    private sealed record Outcome(double WorstMean, int Rollbacks, double[] EpochLoss, float[] Weights);

    /// <summary>IVON on a 1-16-1 network over 64 gap-regression points, 16 per batch.</summary>
    private static Outcome Run(double rate, bool unguarded, int epochs = 30)
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.GapRegression(64, seed: 2);
        using var net = new Mlp(1, [16], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(0.3, learnNoise: true);
        var options = new IvonOptions { LearningRate = rate, EffectiveSampleSize = 64, WeightDecay = 1.0 / 64, Unguarded = unguarded };
        using var kernel = new IvonKernel(net, likelihood, options);
        var (state, result) = Runner.Run(kernel, data, new RunOptions { Epochs = epochs, BatchSize = 16, Stage = "ivon" }, new FitContext(Seed: 1));
        state.Dispose();
        using var noGrad = no_grad();
        using var x = linspace(-2, 2, 9).unsqueeze(1);
        using var mean = net.forward(x);
        double worst = mean.isfinite().all().item<bool>() ? mean.abs().max().item<float>() : double.PositiveInfinity;
        return new Outcome(worst, kernel.Rollbacks, result.EpochLoss, net.Weights.detach().reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void TooLargeRate_RunsOffWithoutTheGuard_AndIsRolledBackWithIt()
    {
        double bare;
        try { bare = Run(100, unguarded: true).WorstMean; }
        catch (TrainingDivergedException) { bare = double.PositiveInfinity; } // the runner refused a non-finite epoch loss
        var guarded = Run(100, unguarded: false);
        output.WriteLine($"worst |mean| without the guard {bare}, with it {guarded.WorstMean}; {guarded.Rollbacks} roll-backs; "
            + $"epoch losses {string.Join(", ", guarded.EpochLoss.Select(l => l.ToString("G3")))}");
        Assert.True(bare > 1e3, $"without the guard the run should run off; worst |mean| {bare}");
        Assert.True(guarded.Rollbacks > 0);
        Assert.True(guarded.WorstMean < 100, $"worst |mean| with the guard {guarded.WorstMean}"); // the targets lie within a few units
        Assert.True(guarded.EpochLoss[^1] < 5, $"last epoch loss with the guard {guarded.EpochLoss[^1]}");
    }

    [Fact]
    public void HealthyRun_IsLeftExactlyAsTheBareOptimiserLeavesIt()
    {
        var bare = Run(0.03, unguarded: true);
        var guarded = Run(0.03, unguarded: false);
        Assert.Equal(0, guarded.Rollbacks);
        Assert.Equal(bare.Weights, guarded.Weights);
        Assert.Equal(bare.EpochLoss, guarded.EpochLoss);
    }

    [Fact]
    public void Restore_PutsBackTheMeanAndCurvature_AndRecomputesSigma()
    {
        using var scope = NewDisposeScope();
        using var data = SyntheticData.GapRegression(64, seed: 2);
        using var net = new Mlp(1, [8], 1, seed: 1);
        using var ivon = new Ivon(net.parameters(), new IvonOptions { EffectiveSampleSize = 64, WeightDecay = 1.0 / 64, Beta2 = 0.9 });
        void Steps(int n)
        {
            for (int t = 0; t < n; t++)
                ivon.step(() =>
                {
                    ivon.zero_grad();
                    var loss = (net.forward(data.Inputs) - data.Targets).pow(2).mean();
                    loss.backward();
                    return loss;
                });
        }
        Steps(5);
        IvonCheckpoint? saved = null;
        ivon.Save(ref saved);
        using var checkpoint = saved!;
        var (mean, hessian, sd) = (net.Weights.detach().clone(), ivon.Hessian(), ivon.StandardDeviation());
        Steps(5);
        Assert.False(ivon.Hessian().equal(hessian).all().item<bool>(), "the steps should change the curvature estimate");
        ivon.Restore(checkpoint);
        Assert.True(net.Weights.detach().equal(mean).all().item<bool>());
        Assert.True(ivon.Hessian().equal(hessian).all().item<bool>());
        Assert.True(ivon.StandardDeviation().allclose(sd, rtol: 1e-6, atol: 0));
    }

    [Fact]
    public void HopelessRate_IsRefusedAfterTheLastRollBack()
    {
        var e = Assert.Throws<TrainingDivergedException>(() => Run(1e12, unguarded: false));
        output.WriteLine(e.Message);
        Assert.Equal("ivon", e.Stage);
    }
}
