using System.Globalization;
using System.Text;
using Occam.Reporting;

namespace Occam.Studies.SgdVsBayes;

/// <summary>Writes a study's outputs: summary.json, functions.json (every function), results.md and the log–log scatter sgd-vs-bayes.png.</summary>
public static class SgdVsBayesReport
{
    /// <summary>Writes the four files into <paramref name="directory"/> (created when missing).</summary>
    public static void Write(string directory, SgdVsBayesResult result)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        JsonReport.Write(Path.Combine(directory, "summary.json"), result);
        JsonReport.Write(Path.Combine(directory, "functions.json"), result.Functions);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), Markdown(result));
        var f = result.Functions;
        var o = result.Options;
        LogProbabilityScatterPlot.Save(Path.Combine(directory, "sgd-vs-bayes.png"),
            string.Create(CultureInfo.InvariantCulture, $"{o.Optimizer} batch {o.BatchSize}, {Loss(o.Loss)}: {result.Fitted:N0} networks, ρ = {result.Correlation:F2} (count ≥ {o.MinCount})"),
            "P_B(f|S)  (NNGP, EP)", "P_SGD(f|S)",
            f.Select(x => x.LogPBayes / Math.Log(10)).ToArray(), f.Select(x => Math.Log10(x.PSgd)).ToArray(), f.Select(x => x.TestError).ToArray(), "test error");
    }

    /// <summary>The results as a Markdown page.</summary>
    public static string Markdown(SgdVsBayesResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var o = r.Options;
        var s = new StringBuilder();
        string F(double v, int d) => double.IsFinite(v) ? v.ToString("F" + d, CultureInfo.InvariantCulture) : "n/a";
        string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        s.AppendLine("# SGD versus Bayes in function space");
        s.AppendLine();
        s.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"n = {o.Bits} Boolean inputs, target {o.Target}, m = {o.TrainSize} training inputs (seed {o.Seed}), FCN {o.Bits}-{string.Join("-", o.Hidden)}-1 ReLU, σ_w = {G(o.WeightSd)}, σ_b = {G(o.BiasSd)}; "
            + $"{o.Optimizer} (lr {G(o.ResolvedLearningRate)}), batch {o.BatchSize}, {Loss(o.Loss)}, budget {o.MaxEpochs} epochs, {o.ExtraEpochs} epochs after fitting."));
        s.AppendLine();
        var table = new MarkdownTable(["measure", "value"]);
        table.AddRow("networks fitted / not fitted within the budget", $"{r.Fitted:N0} / {r.Unfitted:N0}");
        table.AddRow("mean epochs to 100% training accuracy", F(r.MeanEpochsToFit, 1));
        table.AddRow("training time of all networks: wall / CPU (s)", $"{F(r.TrainingSeconds, 1)} / {F(r.TrainingProcessorSeconds, 1)}");
        table.AddRow("machine load average when training ended", F(r.LoadAverage, 1));
        table.AddRow("distinct test functions found", r.DistinctFunctions.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow($"functions seen ≥ {o.MinCount} times", r.FrequentFunctions.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow($"Pearson correlation of log P_SGD and log P_B (seen ≥ {o.MinCount})", F(r.Correlation, 3));
        table.AddRow("the same over every function found", F(r.CorrelationAll, 3));
        table.AddRow("correlation of log P_B with test error (all found)", F(r.BayesErrorCorrelation, 3));
        table.AddRow("correlation of log P_B with LZ complexity (all found)", F(r.BayesComplexityCorrelation, 3));
        table.AddRow("mean test error, weighted by P_SGD / by P_B over the found functions", $"{F(r.SgdMeanTestError, 3)} / {F(r.BayesMeanTestError, 3)}");
        table.AddRow("ln P(labels on S) under the NNGP (EP)", F(r.LogTrainEvidence, 3));
        table.AddRow("EP time for P_B of all found functions (s)", F(r.BayesSeconds, 1));
        s.Append(table).AppendLine();
        s.AppendLine("Probability mass of the top functions (SGD's top N by frequency; P_B's top N among the functions found):");
        s.AppendLine();
        var mass = new MarkdownTable(["N", "P_SGD of SGD's top N", "P_B of SGD's top N", "P_B of P_B's top N"]);
        foreach (var m in r.MassShares) mass.AddRow(m.Top.ToString(CultureInfo.InvariantCulture), F(m.Sgd, 3), F(m.BayesOfSgdTop, 3), F(m.Bayes, 3));
        s.Append(mass).AppendLine();
        if (r.PriorChecks.Count > 0)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Check of P_B by direct sampling of the finite network's prior: {r.PriorSamples:N0} draws, {r.PriorAccepted:N0} fit S ({F(r.PriorSeconds, 0)} s). Its ten most frequent functions:"));
            s.AppendLine();
            var check = new MarkdownTable(["test error", "P_SGD", "P_B (EP, NNGP)", "P_B (prior samples) ± se", "count"]);
            foreach (var c in r.PriorChecks)
            {
                check.AddRow(F(TestError(r, c.Function), 3), G(c.PSgd), G(c.PBayesEp), $"{G(c.PBayesSampled)} ± {G(c.SampledStandardError)}", c.PriorCount.ToString(CultureInfo.InvariantCulture));
            }
            s.Append(check).AppendLine();
        }
        s.AppendLine("The 10 functions SGD found most often:");
        s.AppendLine();
        var top = new MarkdownTable(["test labels", "count", "P_SGD", "P_B", "test error", "LZ complexity"]);
        foreach (var f in r.Functions.Take(10))
            top.AddRow($"`{f.Function}`", f.Count.ToString(CultureInfo.InvariantCulture), G(f.PSgd), G(Math.Exp(f.LogPBayes)), F(f.TestError, 3), F(f.Complexity, 1));
        s.Append(top);
        return s.ToString();
    }

    private static double TestError(SgdVsBayesResult r, string function)
    {
        var train = r.TrainInputs.ToHashSet();
        var test = Enumerable.Range(0, r.TargetFunction.Length).Where(i => !train.Contains(i)).ToArray();
        return (double)Enumerable.Range(0, function.Length).Count(j => function[j] != r.TargetFunction[test[j]]) / function.Length;
    }

    private static string Loss(StudyLoss loss) => loss == StudyLoss.CrossEntropy ? "cross-entropy" : "squared error";
}
