using System.Globalization;
using Occam.ModelSelection;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>What <c>occam select</c> writes: the run, the summary over splits and every candidate's result on every split.</summary>
/// <param name="OccamVersion">The Occam version.</param>
/// <param name="Arguments">The command line.</param>
/// <param name="Seed">Base seed (split s fits with seed + s).</param>
/// <param name="Method">The method.</param>
/// <param name="Data">The data set's name.</param>
/// <param name="ValidationFraction">Fraction of the training rows held out for validation.</param>
/// <param name="Summary">The selection over all splits.</param>
/// <param name="Results">Each candidate on each split.</param>
public sealed record SelectionReport(string OccamVersion, string Arguments, long Seed, string Method, string Data, double ValidationFraction,
    SelectionSummary Summary, IReadOnlyList<CandidateResult> Results);

/// <summary>Writes a selection report: results.json, results.md, selection.png and the printed table.</summary>
internal static class SelectionOutput
{
    public static void Write(CliEnvironment env, string directory, SelectionReport report, OutputFormat format)
    {
        var s = report.Summary;
        string se = s.Splits > 1 ? "over splits" : "over test rows";
        string[] headers = ["candidate", "weights", "P (Gaussian)", "log evidence", "data fit", "Occam factor", "N_eff", "validation NLL", $"test LL (± se {se})", "test RMSE", "pick"];
        var rows = s.Candidates.Select(c => new[]
        {
            c.Candidate, c.NetworkParameters.ToString(CultureInfo.InvariantCulture), c.EvidenceParameters.ToString(CultureInfo.InvariantCulture),
            s.Splits > 1 ? Format.MeanSe(c.LogEvidence, c.LogEvidenceSe, 1) : Format.Number(c.LogEvidence, 1), Format.Number(c.DataFit, 1), Format.Number(c.OccamFactor, 1),
            c.EffectiveDimension is { } n ? Format.Number(n, 1) : "–", Format.Number(c.ValidationNll, 3), Format.MeanSe(c.TestLl, c.TestLlSe, 3),
            c.TestRmse is { } r ? Format.Number(r, 3) : "–", Picks(s, c.Candidate),
        }).ToList();
        var markdown = new MarkdownTable(headers);
        foreach (var r in rows) markdown.AddRow(r);
        string verdict = Verdict(s);
        var json = JsonReport.Serialize(report);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        string heuristic = s.Heuristic ? "\n\nSWAG's covariance describes SGD iterates, not the posterior's curvature: its evidence is a heuristic.\n" : "\n";
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"),
            $"# Model selection by evidence: {report.Method} on {report.Data}\n\n{s.Splits} split(s); the log evidence, data fit and Occam factor are on the fitting rows in standardised units; "
            + $"validation NLL and test LL are per example in original units.\n\n{markdown}\n\n{verdict}\n\nEvidence's pick per split: {string.Join(", ", s.EvidencePicksPerSplit)}{heuristic}");
        var labels = s.Candidates.Select(c => c.Candidate).ToArray();
        ModelSelectionPlot.Save(Path.Combine(directory, "selection.png"), labels, s.Candidates.Select(c => c.LogEvidence).ToArray(),
            s.Candidates.Select(c => c.LogEvidenceSe).ToArray(), s.Candidates.Select(c => c.TestLl).ToArray(), s.Candidates.Select(c => c.TestLlSe).ToArray(),
            Array.IndexOf(labels, s.ByEvidence), Array.IndexOf(labels, s.BestOnTest), $"{report.Method} on {report.Data}");
        FormattedPrint.Table(env, format, json, markdown, $"model selection by evidence ({s.Splits} split(s))", headers, rows, verdict);
    }

    private static string Picks(SelectionSummary s, string candidate)
    {
        var picks = new List<string>();
        if (s.ByEvidence == candidate) picks.Add("evidence");
        if (s.ByValidation == candidate) picks.Add("validation");
        if (s.BestOnTest == candidate) picks.Add("best test");
        return string.Join(", ", picks);
    }

    private static string Verdict(SelectionSummary s)
    {
        string gap = s.EvidenceGapSe is { } g ? Format.MeanSe(s.EvidenceGap, g, 3) + " (paired over splits)" : Format.Number(s.EvidenceGap, 3);
        var best = s.Candidates.First(c => c.Candidate == s.BestOnTest);
        return $"The evidence picks {s.ByEvidence}, validation NLL picks {s.ByValidation}, the best test LL is {s.BestOnTest}'s. "
            + $"The evidence's pick is {gap} nats per example below the best, "
            + (s.EvidenceWithinOneSe ? "within" : "outside") + $" one standard error of the best's test LL ({Format.Number(best.TestLlSe, 3)}).";
    }
}
