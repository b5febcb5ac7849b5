using System.Globalization;
using Occam.Data;
using Occam.Data.Tables;
using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>Settings of <see cref="PredictionTable.Write"/>.</summary>
public sealed record PredictionTableOptions
{
    /// <summary>Central interval masses to report for regression (default 0.9 and 0.95).</summary>
    public IReadOnlyList<double> Intervals { get; init; } = [0.9, 0.95];

    /// <summary>Rows read and predicted at a time (bounds memory; default 4096).</summary>
    public int BatchRows { get; init; } = 4096;

    /// <summary>How to predict (samples, seed, at the mean).</summary>
    public PredictOptions Predict { get; init; } = new();

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the setting.</summary>
    public PredictionTableOptions Validate()
    {
        if (Intervals.Any(q => !(q > 0 && q < 1))) throw new ArgumentException($"Interval masses must lie in (0, 1); got {string.Join(", ", Intervals.Select(q => q.ToString(CultureInfo.InvariantCulture)))}.", nameof(Intervals));
        if (BatchRows < 1) throw new ArgumentException($"Batch rows must be at least 1; got {BatchRows}.", nameof(BatchRows));
        Predict.Validate();
        return this;
    }
}

/// <summary>
/// Predicts every row of a CSV file with a fitted posterior and writes one CSV row per input row, in
/// batches (bounded memory). Regression: the mean, the total, aleatoric and epistemic standard
/// deviations and central intervals of the exact predictive mixture. Classification: the predicted label
/// as written in the training data, each class's probability, entropy and mutual information.
/// The first column is the input row's line in its file.
/// </summary>
public static class PredictionTable
{
    /// <summary>Predicts <paramref name="csvPath"/>, read with the model's <paramref name="table"/> schema, into <paramref name="output"/>; returns the rows written.</summary>
    public static long Write(IPosterior posterior, TableSchema table, string csvPath, TextWriter output, PredictionTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        options = (options ?? new PredictionTableOptions()).Validate();
        output.WriteLine(string.Join(",", Header(table, options.Intervals)));
        long written = 0;
        foreach (var (inputs, lines) in table.Stream(csvPath, options.BatchRows))
        {
            using (inputs)
            using (var predictive = posterior.Predict(inputs, options.Predict))
                written += WriteRows(output, predictive, lines, table, options.Intervals);
        }
        return written;
    }

    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Header(TableSchema table, IReadOnlyList<double> intervals)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Task == TaskKind.Classification)
            return ["line", "predicted", .. table.ClassLabels.Select(l => Quote($"p_{l}")), "entropy", "mutual_information"];
        var columns = new List<string> { "line", "mean", "sd", "aleatoric_sd", "epistemic_sd" };
        foreach (var q in intervals)
        {
            var percent = (q * 100).ToString("0.##", CultureInfo.InvariantCulture);
            columns.Add($"lower_{percent}");
            columns.Add($"upper_{percent}");
        }
        return columns;
    }

    private static long WriteRows(TextWriter output, Predictive p, int[] lines, TableSchema table, IReadOnlyList<double> intervals)
    {
        using var scope = NewDisposeScope();
        var columns = new List<double[]>();
        string[]? labels = null;
        if (table.Task == TaskKind.Classification)
        {
            var probabilities = p.Probabilities;
            labels = probabilities.argmax(1).data<long>().ToArray().Select(k => table.ClassLabels[(int)k]).ToArray();
            for (int c = 0; c < probabilities.shape[1]; c++) columns.Add(probabilities[.., c].data<double>().ToArray());
            columns.Add(p.Entropy().data<double>().ToArray());
            columns.Add(p.MutualInformation().data<double>().ToArray());
        }
        else
        {
            columns.Add(p.Mean[.., 0].data<double>().ToArray());
            columns.Add(p.StandardDeviation[.., 0].data<double>().ToArray());
            columns.Add(p.Aleatoric[.., 0].sqrt().data<double>().ToArray());
            columns.Add(p.Epistemic[.., 0].sqrt().data<double>().ToArray());
            foreach (var q in intervals)
            {
                columns.Add(p.Quantile((1 - q) / 2)[.., 0].data<double>().ToArray());
                columns.Add(p.Quantile((1 + q) / 2)[.., 0].data<double>().ToArray());
            }
        }
        for (int i = 0; i < lines.Length; i++)
        {
            var cells = new List<string> { lines[i].ToString(CultureInfo.InvariantCulture) };
            if (labels is not null) cells.Add(Quote(labels[i]));
            cells.AddRange(columns.Select(c => c[i].ToString("G7", CultureInfo.InvariantCulture)));
            output.WriteLine(string.Join(",", cells));
        }
        return lines.Length;
    }

    private static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
}
