using System.CommandLine;
using Occam.Inference;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using Occam.Reporting;
using static TorchSharp.torch;

namespace Occam.Cli.Commands;

/// <summary><c>occam eval</c>: score a saved posterior on data read the way it was fitted (columns by name, the training label mapping).</summary>
public static class EvalCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var modelDir = new Option<string>("--model") { Description = "Folder written by `occam fit` (its model/ subfolder or the --out folder)", Required = true };
        var data = new Option<string>("--data") { Description = "A .csv file (read with the model's columns and labels), a UCI folder (all rows) or an IDX folder (its test set)", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV: the target column (default: the model's; must match it)" };
        var atMean = new Option<bool>("--at-mean") { Description = "Predict at the posterior mean (e.g. IVON@mean) instead of the model average" };
        var output = new Option<string>("--out") { Description = "Output folder for results.json, results.md and plots (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-eval" };
        var format = ResultsOutput.FormatOption();
        var command = new Command("eval", "Score a saved posterior on data: NLL, RMSE or accuracy, calibration, coverage") { modelDir, data, target, atMean, output, format };
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            using var outDir = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            using var posterior = ModelFolder.Load(parsed.GetValue(modelDir)!, env, device);
            var schema = (posterior as Posterior)?.Frame.Schema;
            using var dataset = DataSource.ForModel(parsed.GetValue(data)!, schema, parsed.GetValue(target), requireTarget: true);
            var label = posterior.Method + (parsed.GetValue(atMean) ? "@mean" : "");
            long seed = parsed.GetValue(env.Common.Seed);
            ResultsOutput.Evaluate(env, outDir.Path, posterior, dataset, new PredictOptions(AtMean: parsed.GetValue(atMean), Seed: seed), "evaluation",
                predictSeconds => new RunRecord(ModelSchema.Version, Environment.CommandLine, seed, label, schema?.Options, schema?.DataFingerprint,
                    ModelSchema.Fingerprint(dataset), null, predictSeconds),
                parsed.GetValue(format));
            env.Cancellation.ThrowIfCancellationRequested();
            outDir.Commit();
            return 0;
        });
        return command;
    }
}

/// <summary>Finds and loads the posterior a command names: the folder itself or its model/ subfolder, onto the chosen device.</summary>
internal static class ModelFolder
{
    public static Occam.Inference.IPosterior Load(string dir, CliEnvironment env, Device device)
    {
        if (File.Exists(Path.Combine(dir, "model", PosteriorStore.ManifestName))) dir = Path.Combine(dir, "model");
        if (!Directory.Exists(dir)) throw new Data.DataFormatException(dir, null, null, "no such folder (--model must name a folder written by occam fit)");
        return PosteriorStore.Load(dir, new LoadContext(Device: device), env.Registry);
    }
}
