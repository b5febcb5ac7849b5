namespace Occam.Evaluation.Leaderboards;

/// <summary>One dataset × method row of a leaderboard and the results file it was read from.</summary>
/// <param name="Row">The row as <c>occam bench uci</c> wrote it.</param>
/// <param name="Source">The results file it came from (as the user named it).</param>
public sealed record LeaderboardEntry(UciRow Row, string Source)
{
    /// <summary>
    /// The test log-likelihood used to order rows: the mean, with an undefined mean (NaN, written as null when a
    /// split scored −∞) counted as −∞, so such a row ranks last.
    /// </summary>
    public double Score => double.IsNaN(Row.TestLlMean) ? double.NegativeInfinity : Row.TestLlMean;

    /// <summary>The standard error of the mean test log-likelihood used in comparisons; an undefined one counts as zero.</summary>
    public double ScoreSe => double.IsNaN(Row.TestLlSe) ? 0 : Row.TestLlSe;
}
