using Occam.Active;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Map;

namespace Occam.Tests.Active;

public sealed class ActiveLearnerTests
{
    private static readonly ActiveLearningOptions Small = new() { Initial = 10, Acquire = 5, Budget = 25, Samples = 8, TestSamples = 8 };

    private static IPosteriorMethod Dropout() => new McDropoutMethod(ActiveTestData.Setup(), new McDropoutOptions { DropoutRate = 0.1, Samples = 8 });

    [Fact]
    public void Run_GrowsTheLabelledSetByTheBatch_UpToTheBudget_WithoutRepeats()
    {
        var (pool, test) = ActiveTestData.Moons();
        using (pool)
        using (test)
        {
            var run = new ActiveLearner(Dropout(), new Bald(), Small).Run(pool, test, new ActiveRunContext(Seed: 3));
            Assert.Equal([10, 15, 20, 25], run.Rounds.Select(r => r.Labels));
            Assert.Equal(25, run.Labelled.Length);
            Assert.Equal(25, run.Labelled.Distinct().Count());
            Assert.All(run.Rounds.Take(3), r => Assert.Equal(5, r.Acquired.Length));
            Assert.Empty(run.Rounds[^1].Acquired);
            Assert.All(run.Rounds, r => Assert.InRange(r.Accuracy, 0, 1));
            Assert.All(run.Rounds, r => Assert.True(double.IsFinite(r.Nll) && double.IsNaN(r.Rmse)));
            for (int i = 0; i < run.Rounds.Count - 1; i++) // each batch was unlabelled when chosen
                Assert.Empty(run.Rounds[i].Acquired.Intersect(run.Labelled.Take(run.Rounds[i].Labels)));
        }
    }

    [Fact]
    public void Run_TheLastBatchIsCutToTheBudget()
    {
        var (pool, test) = ActiveTestData.Moons(60);
        using (pool)
        using (test)
        {
            var run = new ActiveLearner(Dropout(), new RandomAcquisition(), Small with { Budget = 22 }).Run(pool, test);
            Assert.Equal([10, 15, 20, 22], run.Rounds.Select(r => r.Labels));
        }
    }

    [Fact]
    public void Resume_AfterAnInterruption_EndsExactlyLikeAnUninterruptedRun()
    {
        var (pool, test) = ActiveTestData.Moons();
        var straight = TestPaths.NewTempDirectory();
        var interrupted = TestPaths.NewTempDirectory();
        using (pool)
        using (test)
        {
            var learner = new ActiveLearner(Dropout(), new Bald(), Small);
            var expected = learner.Run(pool, test, new ActiveRunContext(Seed: 5, StateDirectory: straight));

            using var stop = new CancellationTokenSource();
            var progress = new Progress(r => { if (r.Round == 1) stop.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => learner.Run(pool, test, new ActiveRunContext(Seed: 5, StateDirectory: interrupted, Progress: progress, Cancellation: stop.Token)));
            var counting = new CountingMethod(Dropout());
            var resumed = new ActiveLearner(counting, new Bald(), Small).Run(pool, test, new ActiveRunContext(Seed: 5, StateDirectory: interrupted));

            Assert.Equal(2, counting.Fits); // rounds 2 and 3 only
            Assert.Equal(expected.Labelled, resumed.Labelled);
            Assert.Equal(expected.Rounds.Select(r => (r.Labels, r.Accuracy, r.Nll)), resumed.Rounds.Select(r => (r.Labels, r.Accuracy, r.Nll)));

            var again = new CountingMethod(Dropout());
            var finished = new ActiveLearner(again, new Bald(), Small).Run(pool, test, new ActiveRunContext(Seed: 5, StateDirectory: interrupted));
            Assert.Equal(0, again.Fits); // a finished run is read, not rerun
            Assert.Equal(expected.Labelled, finished.Labelled);
        }
    }

    [Fact]
    public void Resume_WithOtherSettings_IsRefusedNamingTheSetting()
    {
        var (pool, test) = ActiveTestData.Moons(60);
        var state = TestPaths.NewTempDirectory();
        using (pool)
        using (test)
        {
            new ActiveLearner(Dropout(), new RandomAcquisition(), Small with { Budget = 15 }).Run(pool, test, new ActiveRunContext(StateDirectory: state));
            var e = Assert.Throws<ArgumentException>(() =>
                new ActiveLearner(Dropout(), new RandomAcquisition(), Small with { Budget = 20 }).Run(pool, test, new ActiveRunContext(StateDirectory: state)));
            Assert.Contains("budget 15, this run 20", e.Message);
            File.WriteAllText(Path.Combine(state, "state.json"), "{ not json");
            var corrupt = Assert.Throws<DataFormatException>(() =>
                new ActiveLearner(Dropout(), new RandomAcquisition(), Small with { Budget = 15 }).Run(pool, test, new ActiveRunContext(StateDirectory: state)));
            Assert.Contains("state.json", corrupt.Message);
        }
    }

    [Fact]
    public void Bald_WithAMethodWithoutEpistemicPart_IsRefusedBeforeAnyTraining()
    {
        var (pool, test) = ActiveTestData.Moons(60);
        using (pool)
        using (test)
        {
            var map = new CountingMethod(new MapMethod(ActiveTestData.Setup()));
            foreach (var acquisition in new Acquisition[] { new Bald(), new VariationRatios(), new MeanStd(), new BatchBald() })
            {
                var e = Assert.Throws<ArgumentException>(() => new ActiveLearner(map, acquisition, Small).Run(pool, test));
                Assert.Contains("needs a predictive with an epistemic part", e.Message);
                Assert.Contains("map", e.Message);
            }
            Assert.Equal(0, map.Fits);
            var entropy = new ActiveLearner(map, new MaxEntropy(), Small with { Budget = 10 }).Run(pool, test); // entropy needs no epistemic part
            Assert.Single(entropy.Rounds);
        }
    }

    [Fact]
    public void BadSizes_AreRefusedBeforeAnyTraining()
    {
        var (pool, test) = ActiveTestData.Moons(30);
        using (pool)
        using (test)
        {
            var method = new CountingMethod(Dropout());
            Assert.Contains("larger than the pool (30 points)", Assert.Throws<ArgumentException>(() => new ActiveLearner(method, new Bald(), Small with { Initial = 40, Budget = 50 }).Run(pool, test)).Message);
            Assert.Contains("budget (40) is larger than the pool", Assert.Throws<ArgumentException>(() => new ActiveLearner(method, new Bald(), Small with { Budget = 40 }).Run(pool, test)).Message);
            Assert.Contains("below the initial labelled set", Assert.Throws<ArgumentException>(() => new ActiveLearner(method, new Bald(), Small with { Budget = 5 })).Message);
            Assert.Contains("at least one label per class", Assert.Throws<ArgumentException>(() => new ActiveLearner(method, new Bald(), Small with { Initial = 1, ClassBalanced = true }).Run(pool, test)).Message);
            Assert.Equal(0, method.Fits);
        }
    }

    [Fact]
    public void RandomAcquisition_NeverReadsThePosterior()
    {
        var (pool, test) = ActiveTestData.Moons(60);
        using (pool)
        using (test)
        {
            var method = new CountingMethod(Dropout());
            var run = new ActiveLearner(method, new RandomAcquisition(), Small).Run(pool, test);
            Assert.Equal(run.Rounds.Count, method.Predictions); // the test metrics only
        }
    }

    [Fact]
    public void PoolScoring_IsSplitIntoBatches()
    {
        var (pool, test) = ActiveTestData.Moons(100);
        using (pool)
        using (test)
        {
            var method = new CountingMethod(Dropout());
            new ActiveLearner(method, new Bald(), Small with { Budget = 15, ScoreBatchSize = 30 }).Run(pool, test);
            Assert.Equal(2 + 3, method.Predictions); // two test evaluations, and 90 candidates in batches of 30
        }
    }

    [Fact]
    public void ClassBalancedInitialSet_HasEqualCountsPerClass()
    {
        var (pool, test) = ActiveTestData.Moons(100);
        using (pool)
        using (test)
        {
            using var random = new TorchSharp.torch.Generator(1);
            var even = InitialSet.Choose(pool, 10, classBalanced: true, random);
            using var labels = pool.Targets.index_select(0, TorchSharp.torch.tensor(even));
            Assert.Equal(5, labels.sum().item<long>());
            var odd = InitialSet.Choose(pool, 11, classBalanced: true, random);
            using var oddLabels = pool.Targets.index_select(0, TorchSharp.torch.tensor(odd));
            Assert.InRange(oddLabels.sum().item<long>(), 5, 6);
            Assert.Equal(11, odd.Distinct().Count());
        }
    }

    [Fact]
    public void WarmStart_CarriesWeightsFromOneFitToTheNext()
    {
        var (pool, test) = ActiveTestData.Moons(60);
        using (pool)
        using (test)
        {
            var run = new ActiveLearner(Dropout(), new Bald(), Small with { Budget = 20, WarmStart = true }).Run(pool, test);
            Assert.Equal([10, 15, 20], run.Rounds.Select(r => r.Labels));
        }
        using var warm = new WarmStart();
        using var first = new Occam.Models.Mlp(2, [4], 2, seed: 1);
        using var second = new Occam.Models.Mlp(2, [4], 2, seed: 2);
        warm.StartFit();
        warm.Remember(warm.Begin(first), first);
        warm.StartFit();
        Assert.Equal(0, warm.Begin(second));
        using var a = WeightSpace.Of(first).Get();
        using var b = WeightSpace.Of(second).Get();
        Assert.True(a.allclose(b, 0, 0));
    }

    [Fact]
    public void EpistemicVariance_RunsARegressionCurve()
    {
        using var all = SyntheticData.GapRegression(160, seed: 2);
        using var pool = all.Subset(Enumerable.Range(0, 120).Select(i => (long)i).ToArray());
        using var test = all.Subset(Enumerable.Range(120, 40).Select(i => (long)i).ToArray());
        var run = new ActiveLearner(Dropout(), new EpistemicVariance(), Small with { Budget = 20 }).Run(pool, test);
        Assert.All(run.Rounds, r => Assert.True(double.IsFinite(r.Rmse) && double.IsFinite(r.TestLogLikelihood) && double.IsNaN(r.Accuracy)));
    }

    private sealed class Progress(Action<RoundResult> report) : IProgress<RoundResult>
    {
        public void Report(RoundResult value) => report(value);
    }
}
