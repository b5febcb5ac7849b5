using Occam.Core;
using Occam.Core.Collectors;
using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Tests.Core;

public sealed class RunnerTests
{
    private static Dataset Data(int n)
    {
        using var scope = NewDisposeScope();
        var x = arange(n, ScalarType.Float32).view(n, 1);
        return new Dataset(x, x.clone(), TaskKind.Regression);
    }

    [Fact]
    public void Collectors_SeeTheStepsAfterBurnIn_EveryThinthStep()
    {
        using var data = Data(40);
        var kernel = new Recorder();
        var steps = new List<long>();
        var collector = new StepLog(c => steps.Add(c.Step));
        Runner.Run(kernel, data, new RunOptions { Epochs = 3, BatchSize = 10, BurnIn = 5, Thin = 3 }, new FitContext(1), collector).State.Dispose();
        Assert.Equal(12, kernel.Batches.Count);
        Assert.Equal([7L, 10L], steps); // kept after step numbers 8 and 11 (1-based)
    }

    [Fact]
    public void ShuffledEpochs_VisitEveryExampleOnce_PerMember_InBatchesOfKMembers()
    {
        using var data = Data(30);
        var kernel = new Recorder();
        Runner.Run(kernel, data, new RunOptions { Epochs = 2, BatchSize = 8, Members = 3 }, new FitContext(4)).State.Dispose();
        Assert.Equal(8, kernel.Batches.Count); // ⌈30/8⌉ = 4 per epoch
        Assert.All(kernel.Batches, b => Assert.Equal(3, b.GetLength(0)));
        for (int epoch = 0; epoch < 2; epoch++)
            for (int k = 0; k < 3; k++)
            {
                var seen = kernel.Batches.Skip(4 * epoch).Take(4).SelectMany(b => Enumerable.Range(0, b.GetLength(1)).Select(i => b[k, i])).OrderBy(v => v);
                Assert.Equal(Enumerable.Range(0, 30).Select(i => (float)i), seen);
            }
        var first = kernel.Batches[0];
        Assert.False(Enumerable.Range(0, 8).All(i => first[0, i] == first[1, i]), "members draw their own shuffles");
    }

    [Fact]
    public void UnshuffledRun_GivesConsecutiveBatches_AndTheSameSeedGivesTheSameShuffles()
    {
        using var data = Data(10);
        var ordered = new Recorder();
        Runner.Run(ordered, data, new RunOptions { BatchSize = 4, Shuffle = false }, new FitContext(1)).State.Dispose();
        Assert.Equal([0f, 1, 2, 3], Enumerable.Range(0, 4).Select(i => ordered.Batches[0][0, i]));
        Assert.Equal(2, ordered.Batches[^1].GetLength(1));
        var a = new Recorder();
        var b = new Recorder();
        Runner.Run(a, data, new RunOptions { BatchSize = 4 }, new FitContext(9)).State.Dispose();
        Runner.Run(b, data, new RunOptions { BatchSize = 4 }, new FitContext(9)).State.Dispose();
        Assert.Equal(a.Batches.SelectMany(x => x.Cast<float>()), b.Batches.SelectMany(x => x.Cast<float>()));
    }

    [Fact]
    public void Cancellation_StopsBetweenSteps_AndDisposesTheState()
    {
        using var data = Data(40);
        using var cancel = new CancellationTokenSource();
        var kernel = new Recorder(afterStep: n => { if (n == 2) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Runner.Run(kernel, data, new RunOptions { Epochs = 5, BatchSize = 4 }, new FitContext(Cancellation: cancel.Token)));
        Assert.Equal(2, kernel.Batches.Count);
        Assert.True(kernel.LastState!.Disposed);
    }

    [Fact]
    public void NonFiniteLoss_StopsTheRun_NamingTheStageAndEpoch()
    {
        using var data = Data(20);
        var kernel = new Recorder(loss: step => step < 7 ? 1.0 : double.PositiveInfinity);
        var e = Assert.Throws<TrainingDivergedException>(() => Runner.Run(kernel, data, new RunOptions { Epochs = 4, BatchSize = 5, Stage = "member 2/5" }, new FitContext()));
        Assert.Equal((2, "member 2/5"), (e.Epoch, e.Stage));
        Assert.True(kernel.LastState!.Disposed);
    }

    [Fact]
    public void Progress_IsReportedEveryStep_WithTheEpochLossAtEachEpochsEnd()
    {
        using var data = Data(12);
        var progress = new RecordingProgress();
        var kernel = new Recorder(loss: step => step);
        Runner.Run(kernel, data, new RunOptions { Epochs = 2, BatchSize = 4, Stage = "map" }, new FitContext(Progress: progress)).State.Dispose();
        var reports = progress.Seen;
        Assert.Equal([1L, 2, 3, 4, 5, 6], reports.Select(r => r.Step));
        Assert.Equal([null, null, 1.0, null, null, 4.0], reports.Select(r => r.Loss)); // means of steps 0..2 and 3..5 (equal batches)
        Assert.All(reports, r => Assert.Equal(("map", 6L, 2), (r.Stage, r.TotalSteps, r.Epochs)));
    }

    [Fact]
    public void MomentCollector_KeepsTheArithmeticMeanAndMeanOfSquares()
    {
        var values = new[] { new[] { 1.0, -2 }, new[] { 4.0, 0 }, new[] { -1.0, 5 } };
        int next = 0;
        using var collector = new MomentCollector(() => tensor(values[next++]), secondMoment: true);
        for (int i = 0; i < 3; i++) collector.Collect(new object(), new StepContext(i, 3, 0, 1, new TorchSharp.torch.Generator(1)));
        using var mean = collector.Mean();
        using var square = collector.MeanOfSquares();
        var (m, q) = (mean.data<double>().ToArray(), square.data<double>().ToArray());
        Assert.Equal(4.0 / 3, m[0], 12);
        Assert.Equal(1.0, m[1], 12);
        Assert.Equal(18.0 / 3, q[0], 12);
        Assert.Equal(29.0 / 3, q[1], 12);
    }

    private sealed class State : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class Recorder(Action<int>? afterStep = null, Func<long, double>? loss = null) : IKernel<State>
    {
        public List<float[,]> Batches { get; } = [];

        public State? LastState { get; private set; }

        public State Init(RunSetup setup) => LastState = new State();

        public (State State, StepInfo Info) Step(State state, Batch batch, StepContext context)
        {
            var x = batch.Inputs.dim() == 3 ? batch.Inputs.squeeze(2) : batch.Inputs.view(1, -1);
            var values = new float[x.shape[0], x.shape[1]];
            var flat = x.contiguous().data<float>().ToArray();
            for (int i = 0; i < flat.Length; i++) values[i / x.shape[1], i % x.shape[1]] = flat[i];
            Batches.Add(values);
            afterStep?.Invoke(Batches.Count);
            return (state, new StepInfo(loss is null ? null : tensor(loss(context.Step))));
        }
    }

    private sealed class StepLog(Action<StepContext> record) : IRunCollector<object>
    {
        public void Collect(object state, StepContext context) => record(context);
    }
}
