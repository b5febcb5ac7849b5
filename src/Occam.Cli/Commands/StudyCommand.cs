using System.CommandLine;
using System.Globalization;
using Occam.Reporting;
using Occam.Studies.SgdVsBayes;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam study</c>: reproducible studies; <c>sgd-vs-bayes</c> compares P_SGD(f|S) with the Bayesian posterior P_B(f|S) in function space.</summary>
public static class StudyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("study", "Reproducible studies of what training does in function space");
        command.Subcommands.Add(SgdVsBayes(env));
        return command;
    }

    private static Command SgdVsBayes(CliEnvironment env)
    {
        var defaults = new SgdVsBayesOptions();
        var bits = new Option<int>("--bits") { Description = "Boolean input bits n (all 2ⁿ inputs; at most 7)", DefaultValueFactory = _ => defaults.Bits };
        var target = new Option<string>("--target") { Description = "Target function: pattern:BITS (repeated), hex:HEX, parity, random:SEED, or 2ⁿ bits", DefaultValueFactory = _ => defaults.Target };
        var trainSize = new Option<int>("--train-size") { Description = "Training inputs m (the rest are the test set)", DefaultValueFactory = _ => defaults.TrainSize };
        var hidden = new Option<string>("--hidden") { Description = "Hidden widths, comma separated", DefaultValueFactory = _ => "40,40" };
        var weightSd = new Option<double>("--weight-sd") { Description = "σ_w: weights N(0, σ_w²/fan_in)", DefaultValueFactory = _ => defaults.WeightSd };
        var biasSd = new Option<double>("--bias-sd") { Description = "σ_b: biases N(0, σ_b²)", DefaultValueFactory = _ => defaults.BiasSd };
        var networks = new Option<long>("--networks") { Description = "Networks R trained from independent initialisations (up to 10⁷)", DefaultValueFactory = _ => defaults.Networks };
        var chunk = new Option<int>("--chunk-size") { Description = "Networks trained together along the member dimension", DefaultValueFactory = _ => defaults.ChunkSize };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd or adam", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default 1e-3 for Adam, 1e-2 for SGD)" };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size (each network draws its own batches)", DefaultValueFactory = _ => defaults.BatchSize };
        var loss = new Option<string>("--loss") { Description = "ce (cross-entropy) or mse (squared error to ±1)", DefaultValueFactory = _ => "ce" };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Epoch budget to reach 100% training accuracy; runs beyond it are counted and reported", DefaultValueFactory = _ => defaults.MaxEpochs };
        var extraEpochs = new Option<int>("--extra-epochs") { Description = "Epochs of further training after a network fits S", DefaultValueFactory = _ => 0 };
        var minCount = new Option<int>("--min-count") { Description = "The correlation uses functions seen at least this many times (k)", DefaultValueFactory = _ => defaults.MinCount };
        var priorSamples = new Option<long>("--prior-samples") { Description = "Prior draws for the rejection-sampling check of P_B (0: skip)", DefaultValueFactory = _ => defaults.PriorSamples };
        var labelNoise = new Option<double>("--label-noise") { Description = "ε of P_B's likelihood Φ(y f/ε): 0.001 approximates the network's step sign(f); 1 is the unit-noise probit", DefaultValueFactory = _ => defaults.LabelNoise };
        var output = new Option<string>("--out") { Description = "Output folder: summary.json, functions.json, results.md, sgd-vs-bayes.png", DefaultValueFactory = _ => "occam-out/study-sgd-vs-bayes" };
        var sub = new Command("sgd-vs-bayes", "Mingard et al. (2021): train R networks to zero training error on a Boolean task and compare the frequencies of their test functions, P_SGD(f|S), with the NNGP/EP posterior P_B(f|S)")
        {
            bits, target, trainSize, hidden, weightSd, biasSd, networks, chunk, optimizer, lr, batch, loss, maxEpochs, extraEpochs, minCount, labelNoise, priorSamples, output,
        };
        sub.SetAction(parsed =>
        {
            var options = new SgdVsBayesOptions
            {
                Bits = parsed.GetValue(bits),
                Target = parsed.GetValue(target)!,
                TrainSize = parsed.GetValue(trainSize),
                Hidden = ParseWidths(parsed.GetValue(hidden)!),
                WeightSd = parsed.GetValue(weightSd),
                BiasSd = parsed.GetValue(biasSd),
                Networks = parsed.GetValue(networks),
                ChunkSize = parsed.GetValue(chunk),
                Optimizer = parsed.GetValue(optimizer)!.Trim().ToLowerInvariant() switch
                {
                    "sgd" => StudyOptimizer.Sgd,
                    "adam" => StudyOptimizer.Adam,
                    var other => throw new ArgumentException($"--optimizer must be sgd or adam; got '{other}'"),
                },
                LearningRate = parsed.GetValue(lr),
                BatchSize = parsed.GetValue(batch),
                Loss = parsed.GetValue(loss)!.Trim().ToLowerInvariant() switch
                {
                    "ce" or "cross-entropy" => StudyLoss.CrossEntropy,
                    "mse" or "squared-error" => StudyLoss.SquaredError,
                    var other => throw new ArgumentException($"--loss must be ce or mse; got '{other}'"),
                },
                MaxEpochs = parsed.GetValue(maxEpochs),
                ExtraEpochs = parsed.GetValue(extraEpochs),
                MinCount = parsed.GetValue(minCount),
                PriorSamples = parsed.GetValue(priorSamples),
                LabelNoise = parsed.GetValue(labelNoise),
                Seed = parsed.GetValue(env.Common.Seed),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--{Kebab(e.ParamName)}: {e.Message.Split(" (Parameter")[0]}");
            }
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            var result = SgdVsBayesStudy.Run(options, lines);
            var outDir = parsed.GetValue(output)!;
            SgdVsBayesReport.Write(outDir, result);
            env.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{result.Fitted:N0} networks fitted ({result.Unfitted:N0} not within {options.MaxEpochs} epochs) in {result.TrainingSeconds:F0} s; {result.DistinctFunctions:N0} functions; "
                + $"correlation of log P_SGD and log P_B over {result.FrequentFunctions:N0} functions seen ≥ {options.MinCount} times: {result.Correlation:F3}")));
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir)}[/]: summary.json, functions.json, results.md, sgd-vs-bayes.png");
            return 0;
        });
        return sub;
    }

    private static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"--hidden expects positive integers separated by commas (e.g. 40,40); got '{text}'");
        return widths;
    }

    private static string Kebab(string? name) => name is null ? "option" : name == nameof(SgdVsBayesOptions.LearningRate) ? "lr" : string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
