using System.CommandLine;
using System.Globalization;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Posteriors;
using Occam.Reporting;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam predict</c>: per-row predictions of a saved posterior for a CSV file read with the model's
/// columns: mean, total, aleatoric and epistemic sd and central intervals (regression), or class
/// probabilities, the predicted label, entropy and mutual information (classification). Streams in
/// batches with bounded memory.
/// </summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var modelDir = new Option<string>("--model") { Description = "Folder written by `occam fit` (its model/ subfolder or the --out folder)", Required = true };
        var data = new Option<string>("--data") { Description = "A .csv file with the model's feature columns (any order; the target column is not needed)", Required = true };
        var output = new Option<string?>("--out") { Description = "The CSV file to write (default: standard output); written only when the run succeeds" };
        var intervals = new Option<string>("--interval") { Description = "Regression: central interval masses, comma separated", DefaultValueFactory = _ => "0.9,0.95" };
        var batch = new Option<int>("--batch-size") { Description = "Rows read and predicted at a time", DefaultValueFactory = _ => 4096 };
        var samples = new Option<int?>("--samples") { Description = "Weight or latent samples per prediction (default: the model's)" };
        var atMean = new Option<bool>("--at-mean") { Description = "Predict at the posterior mean instead of the model average" };
        var command = new Command("predict", "Predict every row of a CSV file with a saved posterior: means, uncertainties and intervals, or class probabilities") { modelDir, data, output, intervals, batch, samples, atMean };
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            var path = parsed.GetValue(data)!;
            var target = parsed.GetValue(output);
            if (target is not null && Directory.Exists(target)) throw new ArgumentException($"--out {target} is a folder; expected a CSV file path");
            var options = new PredictionTableOptions
            {
                Intervals = ParseIntervals(parsed.GetValue(intervals)!),
                BatchRows = parsed.GetValue(batch) is var b && b >= 1 ? b : throw new ArgumentException($"--batch-size must be at least 1; got {b}"),
                Predict = new PredictOptions(parsed.GetValue(samples), Seed: parsed.GetValue(env.Common.Seed), AtMean: parsed.GetValue(atMean)),
            };
            using var posterior = ModelFolder.Load(parsed.GetValue(modelDir)!, env, device);
            var table = (posterior as Posterior)?.Frame.Schema?.Table
                ?? throw new ArgumentException("this model was not fitted on a CSV table, so predict cannot read its columns; use eval on data of the kind it was fitted on");
            if (target is null)
            {
                PredictionTable.Write(posterior, table, path, env.Console.Profile.Out.Writer, options);
                return 0;
            }
            var full = Path.GetFullPath(target);
            var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                long rows;
                using (var writer = new StreamWriter(temp))
                    rows = PredictionTable.Write(posterior, table, path, writer, options);
                env.Cancellation.ThrowIfCancellationRequested();
                File.Move(temp, full, overwrite: true);
                env.Error.WriteLine($"wrote {rows} predictions to {target}");
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            return 0;
        });
        return command;
    }

    private static double[] ParseIntervals(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && values[i] < 1))
                throw new ArgumentException($"--interval expects masses in (0, 1) separated by commas (e.g. 0.9,0.95); got '{text}'");
        return values;
    }
}
