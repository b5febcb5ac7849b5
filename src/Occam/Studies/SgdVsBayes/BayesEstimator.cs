using System.Collections.Concurrent;
using Occam.GaussianProcesses.Kernels;
using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// Estimates P_B(f | S), the Bayesian posterior over test functions of the network's prior conditioned
/// on the training labels, the way Mingard et al. (2021) do: the network prior is replaced by its
/// NNGP (same depth, ReLU, σ_w², σ_b²), each label is seen through the probit Φ(y f / ε) (ε → 0 is the
/// network's own step y = sign f; EP runs on the kernel K/ε² with the unit probit, the same model), and
/// P_B(f | S) = P(labels of f on S ∪ T) / P(labels on S), both marginal likelihoods approximated by
/// expectation propagation (<see cref="SmallEp"/>). Values are natural logarithms.
/// </summary>
public sealed class BayesEstimator
{
    private readonly BooleanTask _task;
    private readonly double[] _kernel;       // all 2ⁿ inputs, row-major
    private readonly double _logTrain;

    /// <summary>Builds the NNGP kernel on all inputs and runs EP on the training labels once.</summary>
    /// <param name="task">The Boolean task.</param>
    /// <param name="depth">Hidden layers of the network.</param>
    /// <param name="weightSd">σ_w.</param>
    /// <param name="biasSd">σ_b.</param>
    /// <param name="labelNoise">ε of the likelihood Φ(y f / ε); positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelNoise"/> is not a positive finite number.</exception>
    public BayesEstimator(BooleanTask task, int depth, double weightSd, double biasSd, double labelNoise)
    {
        _task = task ?? throw new ArgumentNullException(nameof(task));
        if (!(labelNoise > 0) || double.IsInfinity(labelNoise))
            throw new ArgumentOutOfRangeException(nameof(labelNoise), labelNoise, "The label noise ε must be a positive number.");
        using var scope = NewDisposeScope();
        var all = SgdSampler.Inputs(task, Enumerable.Range(0, task.Count).ToArray()).to_type(ScalarType.Float64);
        using var nngp = new NngpKernel(depth, NetworkActivation.Relu, weightSd * weightSd, biasSd * biasSd);
        _kernel = (nngp.Matrix(all, all) / (labelNoise * labelNoise)).contiguous().data<double>().ToArray();
        var train = task.Train.ToArray();
        _logTrain = SmallEp.LogEvidence(Submatrix(train), train.Select(i => task.Target[i] ? 1.0 : -1.0).ToArray());
    }

    /// <summary>log P(labels on S) under the NNGP with EP.</summary>
    public double LogTrainEvidence => _logTrain;

    /// <summary>log P_B(f | S) for every test function code (parallel over functions).</summary>
    public double[] LogPosterior(IReadOnlyList<UInt128> functions, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var result = new double[functions.Count];
        long done = 0;
        var options = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(Partitioner.Create(0, functions.Count, 64), options, range =>
        {
            for (int f = range.Item1; f < range.Item2; f++) result[f] = LogJoint(functions[f]) - _logTrain;
            long now = Interlocked.Add(ref done, range.Item2 - range.Item1);
            if (progress is not null && now / 1000 != (now - (range.Item2 - range.Item1)) / 1000) progress.Report($"P_B: {now:N0}/{functions.Count:N0} functions");
        });
        return result;
    }

    /// <summary>log P(labels on all inputs) for the function that agrees with the target on S and with <paramref name="code"/> on T.</summary>
    public double LogJoint(UInt128 code)
    {
        var labels = new double[_task.Count];
        foreach (int i in _task.Train) labels[i] = _task.Target[i] ? 1 : -1;
        for (int j = 0; j < _task.Test.Count; j++) labels[_task.Test[j]] = FunctionCodes.Bit(code, j) ? 1 : -1;
        return SmallEp.LogEvidence(_kernel, labels);
    }

    private double[] Submatrix(int[] rows)
    {
        int n = _task.Count, m = rows.Length;
        var result = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) result[i * m + j] = _kernel[rows[i] * n + rows[j]];
        return result;
    }
}
