using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Evaluation;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary><c>occam bench uci</c>: the standard UCI regression protocol over fixed splits.</summary>
public static class BenchUciCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Folder holding one sub-folder per UCI dataset (e.g. ../shared/data/uci)", Required = true };
        var datasets = new Option<string>("--datasets") { Description = "Comma-separated dataset folder names", DefaultValueFactory = _ => "yacht,bostonHousing,concrete" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods (NAME@mean predicts at the posterior mean, from the same fit)", DefaultValueFactory = _ => "map,ensemble,mc-dropout" };
        var splits = new Option<int?>("--splits") { Description = "Number of splits (default: all, 20; protein has 5)" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 40 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-2 };
        var schedule = CommonOptions.Schedule();
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 32 };
        var output = new Option<string>("--out") { Description = "Output folder for results.json and results.md", DefaultValueFactory = _ => "occam-out/bench-uci" };
        var command = new Command("uci", "UCI regression: standardise on each training split, one hidden layer (50 ReLU; 100 for protein), test log-likelihood and RMSE in original units, mean ± standard error over splits")
        {
            dataDir, datasets, methods, splits, epochs, lr, schedule, batch, output,
        };
        foreach (var option in env.MethodFlags.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            var names = Split(parsed.GetValue(datasets)!);
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new ArgumentException("--datasets lists a dataset more than once");
            var options = new UciProtocolOptions(parsed.GetValue(splits), parsed.GetValue(epochs), parsed.GetValue(batch), parsed.GetValue(lr),
                Seed: parsed.GetValue(env.Common.Seed), Schedule: CommonOptions.ParseSchedule(parsed.GetValue(schedule)), Device: device);
            if (options.Splits is < 1) throw new ArgumentException("--splits must be at least 1");
            foreach (var name in names)
            {
                var path = Path.Combine(parsed.GetValue(dataDir)!, name);
                if (!Directory.Exists(path)) throw new DataFormatException(path, null, null, "no such dataset folder (check --data-dir and --datasets)");
                using var probe = UciBenchmark.Load(path);
                try
                {
                    UciProtocol.SplitCount(probe, options);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"--splits: {e.Message}");
                }
            }
            var runs = MethodRuns.Parse(parsed.GetValue(methods)!, env.Registry, env.MethodFlags, env.MethodFlags.Given(parsed), new Inference.ModelSetup());
            var rows = new List<UciRow>();
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            foreach (var name in names)
            {
                var datasetFolder = Path.Combine(parsed.GetValue(dataDir)!, name);
                if (!Directory.Exists(datasetFolder)) throw new DataFormatException(datasetFolder, null, null, "no such dataset folder (check --data-dir and --datasets)");
                using var benchmark = UciBenchmark.Load(datasetFolder);
                foreach (var run in runs)
                {
                    foreach (var row in UciProtocol.Run(benchmark, run, options, lines, env.Cancellation))
                    {
                        rows.Add(row);
                        env.Console.MarkupLine($"[bold]{Markup.Escape(name)} {Markup.Escape(row.Method)}[/]: test LL {Format.MeanSe(row.TestLlMean, row.TestLlSe, 2)}, RMSE {Format.MeanSe(row.RmseMean, row.RmseSe, 2)}"
                            + (row.EvidencePerPoint is { } e ? $", log evidence per training point {e:F3}" : "") + $" ({row.Seconds:F1} s)");
                        if (row.Convergence is { } c)
                            env.Console.MarkupLine(Markup.Escape(FormattableString.Invariant($"  convergence over splits: R̂ ≤ {c.MaxFunctionRhat:F3} (log posterior, predictions), {c.MaxWeightRhat:F2} (θ projection); bulk ESS ≥ {c.MinBulkEss:F0}, tail ESS ≥ {c.MinTailEss:F0}")
                                + (c.AcceptanceRate is { } a ? FormattableString.Invariant($"; acceptance {a:F3}, {c.Divergences:F0} divergences") : "")));
                    }
                }
            }
            Write(env.Console, folder.Path, rows);
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json and results.md");
            return 0;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, string directory, List<UciRow> rows)
    {
        bool evidence = rows.Any(r => r.EvidencePerPoint is not null);
        string[] headers = ["dataset", "method", "splits", "test LL", "RMSE", "95% coverage", "seconds", .. evidence ? new[] { "log evidence / N" } : []];
        var md = new MarkdownTable(headers);
        var table = new Table().Title("UCI regression (mean ± standard error over splits)");
        foreach (var h in headers) table.AddColumn(h);
        foreach (var r in rows)
        {
            string[] cells = [r.Dataset, r.Method, r.Splits.ToString(CultureInfo.InvariantCulture), Format.MeanSe(r.TestLlMean, r.TestLlSe, 2),
                Format.MeanSe(r.RmseMean, r.RmseSe, 2), Format.Number(r.Coverage95Mean, 3), Format.Number(r.Seconds, 1),
                .. evidence ? new[] { r.EvidencePerPoint is { } e ? Format.Number(e, 3) : "" } : []];
            md.AddRow(cells);
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        JsonReport.Write(Path.Combine(directory, "results.json"), rows);
        var text = "# UCI regression benchmark\n\n" + md + "\n";
        if (rows.Any(r => r.Convergence is not null))
        {
            var convergence = new MarkdownTable(["dataset", "method", "max R̂ (function)", "max R̂ (θ projection)", "min bulk ESS", "min tail ESS", "acceptance", "divergences"]);
            foreach (var r in rows.Where(r => r.Convergence is not null))
            {
                var c = r.Convergence!;
                convergence.AddRow(r.Dataset, r.Method, Format.Number(c.MaxFunctionRhat, 3), Format.Number(c.MaxWeightRhat, 2), Format.Number(c.MinBulkEss, 0), Format.Number(c.MinTailEss, 0),
                    c.AcceptanceRate is { } a ? Format.Number(a, 3) : "", c.Divergences is { } dv ? Format.Number(dv, 0) : "");
            }
            text += "\n## Convergence of the samplers (worst over splits)\n\n" + convergence + "\n";
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), text);
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
