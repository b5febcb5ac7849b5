using System.Diagnostics;
using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>How the study trains its networks.</summary>
/// <param name="Networks">Networks R trained from independent initialisations.</param>
/// <param name="ChunkSize">Networks trained together along the member dimension.</param>
/// <param name="Hidden">Hidden widths.</param>
/// <param name="WeightSd">σ_w: weights N(0, σ_w²/fan_in).</param>
/// <param name="BiasSd">σ_b: biases N(0, σ_b²).</param>
/// <param name="Optimizer">SGD or Adam.</param>
/// <param name="LearningRate">The learning rate.</param>
/// <param name="BatchSize">Mini-batch size (each network draws its own batches).</param>
/// <param name="Loss">Cross-entropy or squared error.</param>
/// <param name="MaxEpochs">Budget: a network that has not fitted S by then is counted as not fitted.</param>
/// <param name="ExtraEpochs">Epochs of further training after a network first fits S.</param>
/// <param name="Seed">Seed of initialisations and batch orders.</param>
public sealed record SgdSettings(long Networks, int ChunkSize, IReadOnlyList<int> Hidden, double WeightSd, double BiasSd, StudyOptimizer Optimizer,
    double LearningRate, int BatchSize, StudyLoss Loss, int MaxEpochs, int ExtraEpochs, long Seed);

/// <summary>What training R networks gave: how often each test function was found, and the cost.</summary>
/// <param name="Counts">Runs that ended in each test function.</param>
/// <param name="Fitted">Runs that fitted S within the budget (their functions are counted).</param>
/// <param name="Unfitted">Runs that did not fit S within the budget.</param>
/// <param name="MeanEpochsToFit">Mean epoch at which the fitted runs first reached 100% training accuracy.</param>
/// <param name="Seconds">Wall time of the training.</param>
/// <param name="ProcessorSeconds">CPU time of the process during the training (all threads).</param>
public sealed record SgdSample(IReadOnlyDictionary<UInt128, long> Counts, long Fitted, long Unfitted, double MeanEpochsToFit, double Seconds, double ProcessorSeconds);

/// <summary>
/// Estimates P_SGD(f | S): trains R networks from independent draws of the prior, thousands at a time
/// along the member dimension (<see cref="StackedNetworks"/>), each on its own random mini-batches of S,
/// until it classifies S perfectly (checked after every epoch), optionally for further epochs, and records
/// its function on the test inputs. Finished members leave the batch, so the last stragglers train alone.
/// </summary>
public static class SgdSampler
{
    /// <summary>Runs the training; <paramref name="progress"/> gets one line per chunk.</summary>
    public static SgdSample Run(BooleanTask task, SgdSettings settings, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(settings);
        var counts = new Dictionary<UInt128, long>();
        long fitted = 0, unfitted = 0;
        double epochSum = 0;
        var clock = Stopwatch.StartNew();
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        using var xTrain = Inputs(task, task.Train);
        using var xTest = Inputs(task, task.Test);
        using var yTrain = tensor(task.Train.Select(i => task.Target[i] ? 1f : 0f).ToArray());
        int chunk = 0;
        for (long done = 0; done < settings.Networks; done += settings.ChunkSize, chunk++)
        {
            cancellation.ThrowIfCancellationRequested();
            long k = Math.Min(settings.ChunkSize, settings.Networks - done);
            var (f, u, e) = TrainChunk(task, settings, k, unchecked(settings.Seed * 1_000_003 + chunk), xTrain, xTest, yTrain, counts, progress, cancellation);
            fitted += f;
            unfitted += u;
            epochSum += e;
            progress?.Report($"networks {done + k:N0}/{settings.Networks:N0}: {counts.Count:N0} distinct functions, {unfitted:N0} not fitted, {clock.Elapsed.TotalSeconds:F0} s");
        }
        return new SgdSample(counts, fitted, unfitted, fitted > 0 ? epochSum / fitted : double.NaN, clock.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds);
    }

    /// <summary>Trains one chunk of K members; returns (fitted, unfitted, sum of epochs to fit).</summary>
    private static (long Fitted, long Unfitted, double EpochSum) TrainChunk(BooleanTask task, SgdSettings s, long k, long seed, Tensor xTrain, Tensor xTest,
        Tensor yTrain, Dictionary<UInt128, long> counts, IProgress<string>? progress, CancellationToken cancellation)
    {
        var generator = new Generator((ulong)seed);
        using var networks = StackedNetworks.Initialise(k, task.Bits, s.Hidden, s.WeightSd, s.BiasSd, generator);
        using var optimizer = new MemberOptimizer(s.Optimizer, s.LearningRate, networks);
        long m = xTrain.size(0);
        int batch = (int)Math.Min(s.BatchSize, m);
        var fittedAt = Enumerable.Repeat(-1, (int)k).ToList();
        long fitted = 0, unfitted = 0;
        double epochSum = 0;
        using var trainPositive = yTrain.gt(0.5);
        for (int epoch = 1; epoch <= s.MaxEpochs + s.ExtraEpochs && networks.Members > 0; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long active = networks.Members;
            var order = rand(new long[] { active, m }, generator: generator).argsort(1);
            for (long start = 0; start < m; start += batch)
            {
                using var step = NewDisposeScope();
                long b = Math.Min(batch, m - start);
                var index = order.narrow(1, start, b).reshape(-1);
                var x = xTrain.index_select(0, index).view(active, b, -1);
                var y = yTrain.index_select(0, index).view(active, b);
                var gradient = networks.Gradient(x, y, s.Loss);
                optimizer.Step(networks.Theta, gradient);
            }
            var correct = networks.Forward(xTrain).gt(0).eq(trainPositive.unsqueeze(0)).all(1).data<bool>().ToArray();
            var finished = new List<long>();
            var keep = new List<long>();
            for (int i = 0; i < active; i++)
            {
                if (fittedAt[i] < 0 && correct[i]) fittedAt[i] = epoch;
                if (fittedAt[i] >= 0 && epoch >= fittedAt[i] + s.ExtraEpochs) finished.Add(i);
                else if (fittedAt[i] < 0 && epoch >= s.MaxEpochs) unfitted++;
                else keep.Add(i);
            }
            if (finished.Count > 0)
            {
                var rows = tensor(finished.ToArray());
                var outputs = networks.Forward(xTest).index_select(0, rows).gt(0);
                foreach (var code in FunctionCodes.Pack(outputs)) counts[code] = counts.GetValueOrDefault(code) + 1;
                fitted += finished.Count;
                epochSum += finished.Sum(i => (double)fittedAt[(int)i]);
            }
            if (epoch % 100 == 0 && keep.Count > 0) progress?.Report($"  epoch {epoch}: {keep.Count:N0} of {k:N0} networks still training");
            if (keep.Count < active)
            {
                var kept = tensor(keep.ToArray());
                networks.Keep(kept);
                optimizer.Keep(kept);
                fittedAt = keep.Select(i => fittedAt[(int)i]).ToList();
            }
        }
        return (fitted, unfitted, epochSum);
    }

    /// <summary>The inputs at <paramref name="indices"/> as float32 [|indices|, n].</summary>
    internal static Tensor Inputs(BooleanTask task, IReadOnlyList<int> indices) =>
        tensor(indices.SelectMany(task.Input).ToArray()).reshape(indices.Count, task.Bits);
}
