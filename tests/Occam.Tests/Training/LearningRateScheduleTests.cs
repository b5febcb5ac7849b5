using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_StartsAtPeakHalvesAtMidpointAndEndsNearZero()
    {
        Assert.Equal(0.2, LearningRateSchedule.Cosine.At(0.2, 0, 100), 15);
        Assert.Equal(0.1, LearningRateSchedule.Cosine.At(0.2, 50, 100), 15);
        Assert.Equal(0.2 * 0.5 * (1 + Math.Cos(Math.PI * 99 / 100)), LearningRateSchedule.Cosine.At(0.2, 99, 100), 15);
        Assert.True(LearningRateSchedule.Cosine.At(0.2, 99, 100) < 1e-4);
        Assert.Equal(0.2, LearningRateSchedule.Constant.At(0.2, 99, 100), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine.At(0.2, 100, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine.At(0.2, 0, 0));
    }

    [Fact]
    public void Trainer_SetsTheScheduledRateBeforeEveryStepOfAnyOptimiser()
    {
        using var x = randn(new long[] { 40, 2 }, generator: new Generator(1));
        using var data = new Dataset(x.clone(), x.sum(1, keepdim: true), TaskKind.Regression);
        using var net = new Mlp(2, [], 1, seed: 1);
        using var likelihood = new GaussianLikelihood(1.0, learnNoise: false);
        RecordingOptimizer? recorder = null;
        var hooks = new TrainingHooks { Optimizer = p => recorder = new RecordingOptimizer(p, 0.3) };
        var options = new TrainerOptions { Epochs = 3, BatchSize = 10, Schedule = LearningRateSchedule.Cosine };
        Trainer.Train(net, likelihood, data, new GaussianPrior(1), options, new FitContext(Seed: 1), hooks: hooks);

        var expected = Enumerable.Range(0, 12).Select(t => 0.3 * 0.5 * (1 + Math.Cos(Math.PI * t / 12))).ToArray();
        Assert.Equal(expected.Length, recorder!.Rates.Count);
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], recorder.Rates[t], 12);
        recorder.Dispose();
    }

    /// <summary>Takes no step; records the learning rate it was asked to use.</summary>
    private sealed class RecordingOptimizer : OptimizerHelper
    {
        public RecordingOptimizer(IEnumerable<Parameter> parameters, double rate)
        {
            _parameter_groups ??= new List<ParamGroup>();
            _parameter_groups.Add(new ParamGroup { Parameters = parameters, Options = new OptimizerOptions { LearningRate = rate, InitialLearningRate = rate } });
        }

        public List<double> Rates { get; } = [];

        public override Tensor step(Func<Tensor>? closure = null)
        {
            Rates.Add(_parameter_groups[0].LearningRate);
            return closure!();
        }
    }
}
