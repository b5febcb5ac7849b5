using Occam.Core;
using Occam.Data;
using TorchSharp;
using TorchSharp.Modules;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_StartsAtOneHalvesAtMidpointAndEndsNearZero()
    {
        Assert.Equal(1.0, LearningRateSchedule.Cosine.Factor(0, 100), 15);
        Assert.Equal(0.5, LearningRateSchedule.Cosine.Factor(50, 100), 15);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 99 / 100)), LearningRateSchedule.Cosine.Factor(99, 100), 15);
        Assert.Equal(1.0, LearningRateSchedule.Constant.Factor(99, 100), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine.Factor(100, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine.Factor(0, 0));
    }

    [Fact]
    public void Cyclical_RestartsTheCosineAtEveryCycle()
    {
        var schedule = LearningRateSchedule.Cyclical(4);
        Assert.Equal(1.0, schedule.Factor(0, 100), 15);
        Assert.Equal(1.0, schedule.Factor(25, 100), 15);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 12 / 25)), schedule.Factor(37, 100), 15);
        Assert.Equal(schedule.Factor(3, 100), schedule.Factor(53, 100), 15);
        Assert.True(schedule.Factor(24, 100) < 0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cyclical(0));
    }

    [Fact]
    public void Parse_AcceptsTheNamedForms_AndRefusesOthers()
    {
        Assert.Same(LearningRateSchedule.Cosine, LearningRateSchedule.Parse("Cosine"));
        Assert.Equal("cyclical(3)", LearningRateSchedule.Parse("cyclical:3").Name);
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.Parse("cyclical:0"));
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.Parse("linear"));
    }

    [Fact]
    public void Custom_IsChecked_ForNegativeOrNonFiniteFactors()
    {
        var custom = LearningRateSchedule.Custom(t => t < 5 ? 1.0 : double.NaN);
        Assert.Equal(1.0, custom.Factor(4, 10));
        Assert.Throws<InvalidOperationException>(() => custom.Factor(5, 10));
    }

    [Fact]
    public void Runner_HandsEveryStepTheScheduleFactor_AndOptimiserStateScalesEveryGroup()
    {
        using var x = randn(new long[] { 40, 2 }, generator: new Generator(1));
        using var data = new Dataset(x.clone(), x.sum(1, keepdim: true), TaskKind.Regression);
        var kernel = new FactorRecorder();
        var options = new RunOptions { Epochs = 3, BatchSize = 10, Schedule = LearningRateSchedule.Cosine };
        Runner.Run(kernel, data, options, new FitContext(Seed: 1)).State.Dispose();
        var expected = Enumerable.Range(0, 12).Select(t => 0.5 * (1 + Math.Cos(Math.PI * t / 12))).ToArray();
        Assert.Equal(expected.Length, kernel.Factors.Count);
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], kernel.Factors[t], 12);

        using var p = new Parameter(zeros(3));
        using var q = new Parameter(zeros(2));
        using var state = new OptimiserState(optim.Adam([new Adam.ParamGroup([p], 0.2), new Adam.ParamGroup([q], 0.02)], 0.2));
        state.Schedule(0.25);
        Assert.Equal([0.05, 0.005], state.Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray());
    }

    private sealed class FactorRecorder : IKernel<FactorRecorder.Nothing>
    {
        public List<double> Factors { get; } = [];

        public Nothing Init(RunSetup setup) => new();

        public (Nothing State, StepInfo Info) Step(Nothing state, Batch batch, StepContext context)
        {
            Factors.Add(context.LearningRateFactor);
            return (state, new StepInfo(null));
        }

        public sealed class Nothing : IDisposable
        {
            public void Dispose() { }
        }
    }
}
