namespace Occam.Active;

/// <summary>Summarises active-learning runs over seeds: mean curves with their spread, and the labels needed to reach given test errors.</summary>
public static class LearningCurves
{
    /// <summary>
    /// One summary per (method, acquisition) in order of first appearance. Rounds are aligned by index over
    /// the rounds every seed finished; runs with other label schedules should not be mixed.
    /// </summary>
    public static IReadOnlyList<CurveSummary> Summarise(IEnumerable<ActiveLearningRun> runs, IReadOnlyList<double>? errorThresholds = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        errorThresholds ??= [];
        return runs.GroupBy(r => (r.Method, r.Acquisition)).Select(g => Summarise(g.ToList(), errorThresholds)).ToList();
    }

    /// <summary>The first entry of <paramref name="labels"/> whose <paramref name="error"/> is at most <paramref name="threshold"/>, or null.</summary>
    public static int? FirstReaching(IReadOnlyList<int> labels, IReadOnlyList<double> error, double threshold)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(error);
        for (int i = 0; i < Math.Min(labels.Count, error.Count); i++)
            if (error[i] <= threshold) return labels[i];
        return null;
    }

    private static CurveSummary Summarise(IReadOnlyList<ActiveLearningRun> runs, IReadOnlyList<double> thresholds)
    {
        int rounds = runs.Min(r => r.Rounds.Count);
        var labels = runs[0].Rounds.Take(rounds).Select(r => r.Labels).ToArray();
        bool classification = runs[0].Rounds.Count > 0 && !double.IsNaN(runs[0].Rounds[0].Accuracy);
        var metrics = new Dictionary<string, CurveStatistics>();
        if (classification)
        {
            metrics["accuracy"] = Statistics(runs, rounds, r => r.Accuracy);
            metrics["nll"] = Statistics(runs, rounds, r => r.Nll);
        }
        else
        {
            metrics["rmse"] = Statistics(runs, rounds, r => r.Rmse);
            metrics["test_ll"] = Statistics(runs, rounds, r => r.TestLogLikelihood);
        }
        var list = new List<LabelsToError>();
        if (classification)
        {
            int initial = labels.Length > 0 ? labels[0] : 0;
            var meanError = metrics["accuracy"].Mean.Select(a => 1 - a).ToArray();
            foreach (var t in thresholds)
            {
                var reached = FirstReaching(labels, meanError, t);
                var perSeed = runs.Select(r => FirstReaching(r.Rounds.Select(x => x.Labels).ToList(), r.Rounds.Select(x => x.Error).ToList(), t) - initial).ToArray();
                list.Add(new LabelsToError(t, reached, reached - initial, perSeed));
            }
        }
        return new CurveSummary(runs[0].Method, runs[0].Acquisition, runs.Select(r => r.Seed).ToArray(), labels, metrics, list);
    }

    private static CurveStatistics Statistics(IReadOnlyList<ActiveLearningRun> runs, int rounds, Func<RoundResult, double> read)
    {
        var mean = new double[rounds];
        var sd = new double[rounds];
        var min = new double[rounds];
        var max = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            var values = runs.Select(r => read(r.Rounds[i])).ToArray();
            mean[i] = values.Average();
            sd[i] = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean[i]) * (v - mean[i])) / (values.Length - 1)) : 0;
            min[i] = values.Min();
            max[i] = values.Max();
        }
        return new CurveStatistics(mean, sd, min, max);
    }
}
