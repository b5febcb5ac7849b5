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
        var args = new BenchUciArguments(env, env.Common);
        var command = new Command("uci", "UCI regression: standardise on each training split, one hidden layer (50 ReLU; 100 for protein), test log-likelihood and RMSE in original units, mean ± standard error over splits");
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            using var folder = OutputFolder.Begin(parsed.GetValue(args.Output)!, "--out");
            var request = args.Read(parsed);
            var rows = new List<UciRow>();
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            foreach (var name in request.Datasets)
            {
                using var benchmark = UciBenchmark.Load(request.Folder(name));
                int splits = request.SplitCounts[request.Datasets.ToList().IndexOf(name)];
                for (int r = 0; r < request.Runs.Count; r++)
                {
                    var results = Enumerable.Range(0, splits).Select(split => request.RunSplit(benchmark, r, split, lines, env.Cancellation)).ToList();
                    foreach (var row in UciProtocol.Summarise(results))
                    {
                        rows.Add(row);
                        PrintRow(env.Console, row);
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

    /// <summary>Prints one row's summary line (and its samplers' convergence).</summary>
    internal static void PrintRow(IAnsiConsole console, UciRow row)
    {
        console.MarkupLine($"[bold]{Markup.Escape(row.Dataset)} {Markup.Escape(row.Method)}[/]: test LL {Format.MeanSe(row.TestLlMean, row.TestLlSe, 2)}, RMSE {Format.MeanSe(row.RmseMean, row.RmseSe, 2)}"
            + (row.EvidencePerPoint is { } e ? $", log evidence per training point {e:F3}" : "") + $" ({row.Seconds:F1} s)");
        if (row.Convergence is { } c)
            console.MarkupLine(Markup.Escape(FormattableString.Invariant($"  convergence over splits: R̂ ≤ {c.MaxFunctionRhat:F3} (log posterior, predictions), {c.MaxWeightRhat:F2} (θ projection); bulk ESS ≥ {c.MinBulkEss:F0}, tail ESS ≥ {c.MinTailEss:F0}")
                + (c.AcceptanceRate is { } a ? FormattableString.Invariant($"; acceptance {a:F3}") : "")
                + (c.Divergences is { } d ? FormattableString.Invariant($", {d:F0} divergences") : "")));
    }

    /// <summary>Prints the table and writes results.json and results.md into <paramref name="directory"/>.</summary>
    internal static void Write(IAnsiConsole console, string directory, List<UciRow> rows)
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
        if (rows.Any(r => r.Tuning is not null))
        {
            var tuning = new MarkdownTable(["dataset", "method", "setting chosen on validation (splits)"]);
            foreach (var r in rows.Where(r => r.Tuning is not null))
                tuning.AddRow(r.Dataset, r.Method, string.Join("; ", r.Tuning!.Select(t => $"{t.Setting} ({t.Splits.ToString(CultureInfo.InvariantCulture)})")));
            text += "\n## Tuned protocol: the settings chosen\n\n" + tuning + "\n";
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), text);
    }
}
