using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Laplace;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench mnist</c>: LeNet-5 on MNIST per method; test accuracy, NLL, ECE and Brier, the
/// rotated-MNIST curve, and notMNIST out-of-distribution AUROC (see <see cref="MnistProtocol"/>).
/// </summary>
public static class BenchMnistCommand
{
    private static readonly string DefaultAngles = string.Join(",", MnistProtocolOptions.DefaultAngles.Select(a => a.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Folder with the four MNIST IDX gzip files (e.g. ../shared/data/mnist)", Required = true };
        var oodDir = new Option<string?>("--ood-dir") { Description = "Folder with the notMNIST t10k IDX files (default: the 'notmnist' folder next to --data-dir, if there)" };
        var noOod = new Option<bool>("--no-ood") { Description = "Skip the out-of-distribution scores" };
        var methods = new Option<string>("--methods") { Description = $"Comma-separated methods ({string.Join(", ", env.Registry.Names)}; NAME@mean predicts at the posterior mean)", DefaultValueFactory = _ => "map,ensemble,mc-dropout" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use the first N training images (default: all 60,000)" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use the first N test images, and as many OOD images (default: all 10,000)" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var schedule = CommonOptions.Schedule();
        var prior = new Option<double>("--prior-precision") { Description = "Gaussian prior precision λ on the weights (= weight decay λ/N)", DefaultValueFactory = _ => 1.0 };
        var angles = new Option<string>("--angles") { Description = "Comma-separated rotation angles in degrees", DefaultValueFactory = _ => DefaultAngles };
        var predictBatch = new Option<int>("--predict-batch-size") { Description = "Images per forward pass at prediction", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "Output folder for results.json and results.md", DefaultValueFactory = _ => "occam-out/bench-mnist" };
        var command = new Command("mnist", "MNIST with LeNet-5: test accuracy, NLL, ECE and Brier; rotated-MNIST shift curve; notMNIST out-of-distribution AUROC (entropy and mutual information)")
        {
            dataDir, oodDir, noOod, methods, trainLimit, testLimit, epochs, batch, lr, schedule, prior, angles, predictBatch, output,
        };
        foreach (var option in env.MethodFlags.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            var options = new MnistProtocolOptions
            {
                Epochs = Check(parsed.GetValue(epochs), "--epochs", v => v >= 1, "at least 1"),
                BatchSize = Check(parsed.GetValue(batch), "--batch-size", v => v >= 1, "at least 1"),
                LearningRate = Check(parsed.GetValue(lr), "--lr", v => v > 0, "positive"),
                Schedule = CommonOptions.ParseSchedule(parsed.GetValue(schedule)),
                PriorPrecision = Check(parsed.GetValue(prior), "--prior-precision", v => v >= 0, "non-negative"),
                Seed = parsed.GetValue(env.Common.Seed),
                Angles = ParseAngles(parsed.GetValue(angles)!),
                PredictBatchSize = Check(parsed.GetValue(predictBatch), "--predict-batch-size", v => v >= 1, "at least 1"),
                Device = device,
            };
            int? trainN = CheckLimit(parsed.GetValue(trainLimit), "--train-limit");
            int? testN = CheckLimit(parsed.GetValue(testLimit), "--test-limit");
            var runs = MethodRuns.Parse(parsed.GetValue(methods)!, env.Registry, env.MethodFlags, env.MethodFlags.Given(parsed), MnistProtocol.Setup(options));
            var mnistDir = parsed.GetValue(dataDir)!;
            if (!Directory.Exists(mnistDir))
                throw new DataFormatException(mnistDir, null, null, "no such folder (--data-dir must name the folder with the MNIST IDX files)");
            var notMnistDir = parsed.GetValue(noOod) ? null : OodFolder(mnistDir, parsed.GetValue(oodDir));
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var outDir = folder.Path;

            using var train = IdxReader.LoadMnist(mnistDir, train: true, trainN);
            using var test = IdxReader.LoadMnist(mnistDir, train: false, testN);
            using var ood = notMnistDir is null ? null : MnistProtocol.LoadNotMnist(notMnistDir, testN);
            env.Console.MarkupLine(Markup.Escape($"MNIST: {train.Count} training and {test.Count} test images; OOD: "
                + (ood is null ? "none" : $"{ood.Count} notMNIST images from {notMnistDir}")));
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            var rows = new List<MnistRow>();
            var settings = runs.ToDictionary(r => r.Method.Name, r => MethodRuns.Describe(r.Method));
            foreach (var run in runs)
            {
                rows.AddRange(MnistProtocol.Run(train, test, ood, run, options, lines, env.Cancellation));
            }
            BenchMnistReport.Write(outDir, new MnistBenchReport(mnistDir, notMnistDir, options, settings, rows));
            BenchMnistReport.Print(env.Console, rows);
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json and results.md");
            return 0;
        });
        return command;
    }

    /// <summary>The OOD folder: --ood-dir when given (it must exist), else a 'notmnist' folder next to the MNIST folder, else none.</summary>
    private static string? OodFolder(string mnistDir, string? given)
    {
        if (given is not null)
            return Directory.Exists(given) ? given : throw new DataFormatException(given, null, null, "no such folder (--ood-dir must name the folder with the notMNIST t10k IDX files)");
        // Keep the path as the user wrote it (relative stays relative); resolve it only when its last part is "." or "..".
        var trimmed = Path.TrimEndingDirectorySeparator(mnistDir);
        if (Path.GetFileName(trimmed) is "" or "." or "..") trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(trimmed));
        var parent = Path.GetDirectoryName(trimmed);
        var sibling = parent is null ? null : Path.Combine(parent, "notmnist");
        return sibling is not null && Directory.Exists(sibling) ? sibling : null;
    }

    private static double[] ParseAngles(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var angles = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out angles[i]) || !double.IsFinite(angles[i]))
                throw new ArgumentException($"--angles expects degrees separated by commas (e.g. 0,15,30); got '{text}'");
        var repeated = angles.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"--angles lists {repeated.Key.ToString(CultureInfo.InvariantCulture)} more than once");
        return angles;
    }

    private static int? CheckLimit(int? value, string option) =>
        value is < 1 ? throw new ArgumentException($"{option} must be at least 1; got {value}") : value;

    private static T Check<T>(T value, string option, Func<T, bool> ok, string expected) where T : struct, IConvertible =>
        ok(value) && double.IsFinite(value.ToDouble(CultureInfo.InvariantCulture))
            ? value
            : throw new ArgumentException($"{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}");
}
