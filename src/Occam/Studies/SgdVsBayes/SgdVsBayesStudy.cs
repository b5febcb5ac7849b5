namespace Occam.Studies.SgdVsBayes;

/// <summary>
/// Runs the function-space comparison of Mingard et al. (2021): P_SGD(f | S) from R networks trained to
/// zero training error (<see cref="SgdSampler"/>), P_B(f | S) for every function found from the NNGP with EP
/// (<see cref="BayesEstimator"/>), and, as a check of P_B, rejection sampling of the finite network's prior
/// (<see cref="PriorSampler"/>); then the statistics of <see cref="SgdVsBayesResult"/>.
/// </summary>
public static class SgdVsBayesStudy
{
    /// <summary>Mass shares are reported for these numbers of top functions.</summary>
    public static IReadOnlyList<int> TopCounts { get; } = [1, 10, 100];

    /// <summary>Runs the study; <paramref name="progress"/> receives lines as it goes.</summary>
    public static SgdVsBayesResult Run(SgdVsBayesOptions options, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var task = BooleanTask.Create(options.Bits, options.Target, options.TrainSize, options.Seed);
        var settings = new SgdSettings(options.Networks, options.ChunkSize, options.Hidden, options.WeightSd, options.BiasSd, options.Optimizer,
            options.ResolvedLearningRate, options.BatchSize, options.Loss, options.MaxEpochs, options.ExtraEpochs, options.Seed);
        var sgd = SgdSampler.Run(task, settings, progress, cancellation);
        double load = LoadAverage();
        var found = sgd.Counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bayes = new BayesEstimator(task, options.Hidden.Count, options.WeightSd, options.BiasSd, options.LabelNoise);
        var logPb = bayes.LogPosterior(found.Select(kv => kv.Key).ToList(), progress, cancellation);
        double bayesSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report($"P_B of {found.Count:N0} functions by EP: {bayesSeconds:F0} s");

        var prior = options.PriorSamples > 0 ? PriorSampler.Run(task, settings, options.PriorSamples, 50_000, progress, cancellation) : null;
        int t = task.Test.Count;
        var functions = found.Select((kv, i) => new StudyFunction(FunctionCodes.Text(kv.Key, t), kv.Value, (double)kv.Value / sgd.Fitted, logPb[i],
            TestError(task, kv.Key), LempelZiv.Complexity(TruthTable(task, kv.Key)), prior?.Counts.GetValueOrDefault(kv.Key) ?? 0)).ToList();
        return Summarise(options, task, sgd, functions, bayes.LogTrainEvidence, bayesSeconds, prior, bayes) with { LoadAverage = load };
    }

    private static SgdVsBayesResult Summarise(SgdVsBayesOptions options, BooleanTask task, SgdSample sgd, List<StudyFunction> functions, double logTrain,
        double bayesSeconds, PriorSample? prior, BayesEstimator bayes)
    {
        var frequent = functions.Where(f => f.Count >= options.MinCount).ToList();
        double Log10(double lnValue) => lnValue / Math.Log(10);
        var byBayes = functions.OrderByDescending(f => f.LogPBayes).ToList();
        var shares = TopCounts.Select(n => new MassShare(n, functions.Take(n).Sum(f => f.PSgd), functions.Take(n).Sum(f => Math.Exp(f.LogPBayes)),
            byBayes.Take(n).Sum(f => Math.Exp(f.LogPBayes)))).ToList();
        double bayesTotal = functions.Sum(f => Math.Exp(f.LogPBayes));
        var checks = new List<PriorCheck>();
        if (prior is { Accepted: > 0 })
        {
            var byCode = functions.ToDictionary(f => f.Function);
            foreach (var (code, count) in prior.Counts.OrderByDescending(kv => kv.Value).Take(10))
            {
                var text = FunctionCodes.Text(code, task.Test.Count);
                double p = (double)count / prior.Accepted;
                double ep = byCode.TryGetValue(text, out var f) ? Math.Exp(f.LogPBayes) : Math.Exp(bayes.LogJoint(code) - logTrain);
                checks.Add(new PriorCheck(text, f?.PSgd ?? 0, ep, p, Math.Sqrt(p * (1 - p) / prior.Accepted), count));
            }
        }
        return new SgdVsBayesResult
        {
            Options = options,
            TargetFunction = new string(task.Target.Select(b => b ? '1' : '0').ToArray()),
            TrainInputs = task.Train,
            Fitted = sgd.Fitted,
            Unfitted = sgd.Unfitted,
            MeanEpochsToFit = sgd.MeanEpochsToFit,
            DistinctFunctions = functions.Count,
            TrainingSeconds = sgd.Seconds,
            TrainingProcessorSeconds = sgd.ProcessorSeconds,
            BayesSeconds = bayesSeconds,
            LogTrainEvidence = logTrain,
            FrequentFunctions = frequent.Count,
            Correlation = Pearson(frequent.Select(f => Math.Log10(f.PSgd)).ToList(), frequent.Select(f => Log10(f.LogPBayes)).ToList()),
            CorrelationAll = Pearson(functions.Select(f => Math.Log10(f.PSgd)).ToList(), functions.Select(f => Log10(f.LogPBayes)).ToList()),
            MassShares = shares,
            BayesErrorCorrelation = Pearson(functions.Select(f => f.LogPBayes).ToList(), functions.Select(f => f.TestError).ToList()),
            BayesComplexityCorrelation = Pearson(functions.Select(f => f.LogPBayes).ToList(), functions.Select(f => f.Complexity).ToList()),
            SgdMeanTestError = functions.Sum(f => f.PSgd * f.TestError),
            BayesMeanTestError = bayesTotal > 0 ? functions.Sum(f => Math.Exp(f.LogPBayes) * f.TestError) / bayesTotal : double.NaN,
            TargetComplexity = LempelZiv.Complexity(task.Target),
            PriorSamples = prior?.Samples ?? 0,
            PriorAccepted = prior?.Accepted ?? 0,
            PriorSeconds = prior?.Seconds ?? 0,
            PriorChecks = checks,
            Functions = functions,
        };
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or NaN.</summary>
    private static double LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
            return text is not null && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The whole truth table of the function that follows the target on S and <paramref name="code"/> on T.</summary>
    private static bool[] TruthTable(BooleanTask task, UInt128 code)
    {
        var table = task.Target.ToArray();
        for (int j = 0; j < task.Test.Count; j++) table[task.Test[j]] = FunctionCodes.Bit(code, j);
        return table;
    }

    private static double TestError(BooleanTask task, UInt128 code) =>
        (double)Enumerable.Range(0, task.Test.Count).Count(j => FunctionCodes.Bit(code, j) != task.Target[task.Test[j]]) / task.Test.Count;

    /// <summary>The Pearson correlation (NaN for fewer than 3 points or no spread).</summary>
    public static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n = a.Count;
        if (n < 3 || b.Count != n) return double.NaN;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }
}
