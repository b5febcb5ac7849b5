using System.CommandLine;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Posteriors.Storage;

namespace Occam.Cli.Commands;

/// <summary><c>occam eval</c>: score a saved posterior on data.</summary>
public static class EvalCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var modelDir = new Option<string>("--model") { Description = "Folder written by `occam fit` (its model/ subfolder or the --out folder)", Required = true };
        var data = new Option<string>("--data") { Description = "A .csv file, a UCI folder (all rows) or an IDX folder (its test set)", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV: target column, by header name or 0-based index" };
        var task = new Option<TaskKind?>("--task") { Description = "CSV: regression or classification (default: inferred)" };
        var atMean = new Option<bool>("--at-mean") { Description = "Predict at the posterior mean (e.g. IVON@mean) instead of the model average" };
        var output = new Option<string>("--out") { Description = "Output folder for results.json and results.md", DefaultValueFactory = _ => "occam-out" };
        var command = new Command("eval", "Score a saved posterior on data: NLL, RMSE or accuracy, calibration, coverage") { modelDir, data, target, task, atMean, output };
        command.SetAction(parsed =>
        {
            var dir = parsed.GetValue(modelDir)!;
            if (File.Exists(Path.Combine(dir, "model", PosteriorStore.ManifestName))) dir = Path.Combine(dir, "model");
            using var posterior = PosteriorStore.Load(dir, registry: env.Registry);
            using var dataset = DataSource.LoadAll(parsed.GetValue(data)!, parsed.GetValue(target), parsed.GetValue(task) ?? posterior.Task);
            var result = Evaluator.Evaluate(posterior, dataset, new PredictOptions(AtMean: parsed.GetValue(atMean)));
            ResultsOutput.Write(env.Console, parsed.GetValue(output)!, [result], "evaluation");
            return 0;
        });
        return command;
    }
}
