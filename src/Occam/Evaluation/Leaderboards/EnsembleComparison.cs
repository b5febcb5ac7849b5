namespace Occam.Evaluation.Leaderboards;

/// <summary>How a method's mean test log-likelihood compares with the deep ensemble's on one dataset.</summary>
public enum Outcome
{
    /// <summary>Higher than the ensemble's by more than the combined standard error.</summary>
    Better,

    /// <summary>Within the combined standard error of the ensemble's.</summary>
    Tie,

    /// <summary>Lower than the ensemble's by more than the combined standard error.</summary>
    Worse,
}

/// <summary>One method against the deep ensemble on one dataset.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Method">The method.</param>
/// <param name="Outcome">Better, tie or worse.</param>
/// <param name="Difference">The method's mean test log-likelihood minus the ensemble's.</param>
/// <param name="CombinedSe">√(se₁² + se₂²) of the two standard errors.</param>
public sealed record EnsembleOutcome(string Dataset, string Method, Outcome Outcome, double Difference, double CombinedSe);

/// <summary>One method's outcomes against the deep ensemble, counted over the datasets both ran.</summary>
/// <param name="Method">The method.</param>
/// <param name="Better">Datasets where it is better.</param>
/// <param name="Tie">Datasets where it ties.</param>
/// <param name="Worse">Datasets where it is worse.</param>
public sealed record EnsembleTally(string Method, int Better, int Tie, int Worse)
{
    /// <summary>The datasets compared.</summary>
    public int Datasets => Better + Tie + Worse;
}

/// <summary>
/// Every method against the deep ensemble (the row named <see cref="EnsembleMethod"/>) on each dataset where both ran:
/// better when its mean test log-likelihood exceeds the ensemble's by more than √(se₁² + se₂²), worse when it falls
/// below by more than that, a tie otherwise. Datasets without an ensemble row are left out.
/// </summary>
/// <param name="Outcomes">Per dataset (in the standings' order), each method other than the ensemble, best first.</param>
/// <param name="Tallies">Per method that met the ensemble somewhere, its counts; most datasets better first, then fewest worse, then by name.</param>
public sealed record EnsembleComparison(IReadOnlyList<EnsembleOutcome> Outcomes, IReadOnlyList<EnsembleTally> Tallies)
{
    /// <summary>The row label of the deep ensemble.</summary>
    public const string EnsembleMethod = "ensemble";

    /// <summary>Compares every method with the ensemble on every dataset of <paramref name="standings"/> that has an ensemble row.</summary>
    public static EnsembleComparison Of(IReadOnlyList<DatasetStanding> standings)
    {
        ArgumentNullException.ThrowIfNull(standings);
        var outcomes = new List<EnsembleOutcome>();
        foreach (var standing in standings)
        {
            if (standing.Find(EnsembleMethod) is not { } ensemble) continue;
            foreach (var row in standing.Rows.Where(r => r.Entry.Row.Method != EnsembleMethod))
                outcomes.Add(Compare(standing.Dataset, row.Entry, ensemble.Entry));
        }
        var tallies = outcomes.GroupBy(o => o.Method).Select(g => new EnsembleTally(g.Key,
            g.Count(o => o.Outcome == Outcome.Better), g.Count(o => o.Outcome == Outcome.Tie), g.Count(o => o.Outcome == Outcome.Worse)))
            .OrderByDescending(t => t.Better).ThenBy(t => t.Worse).ThenBy(t => t.Method, StringComparer.Ordinal).ToList();
        return new EnsembleComparison(outcomes, tallies);
    }

    /// <summary>The outcome of <paramref name="method"/>'s row against <paramref name="ensemble"/>'s row.</summary>
    public static EnsembleOutcome Compare(string dataset, LeaderboardEntry method, LeaderboardEntry ensemble)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(ensemble);
        double difference = method.Score - ensemble.Score;
        double combined = Math.Sqrt(method.ScoreSe * method.ScoreSe + ensemble.ScoreSe * ensemble.ScoreSe);
        var outcome = difference > combined ? Outcome.Better : difference < -combined ? Outcome.Worse : Outcome.Tie;
        return new EnsembleOutcome(dataset, method.Row.Method, outcome, difference, combined);
    }

    /// <summary>The outcome of <paramref name="method"/> on <paramref name="dataset"/>, or null when they were not compared.</summary>
    public EnsembleOutcome? Find(string dataset, string method) => Outcomes.FirstOrDefault(o => o.Dataset == dataset && o.Method == method);
}
