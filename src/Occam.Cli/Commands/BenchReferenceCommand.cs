using System.CommandLine;
using System.Globalization;
using Occam.Data;
using Occam.Evaluation;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench reference</c>: full-batch HMC with several chains on UCI splits as the reference posterior,
/// its R̂ checked, then every listed method scored against it (Wasserstein-1 between predictives) and on its
/// own (test log-likelihood): a table per dataset and a plot of W1 against test LL.
/// </summary>
public static class BenchReferenceCommand
{
    /// <summary>The reference's settings unless --reference overrides them.</summary>
    public const string DefaultReference = "chains=4,warm-up=500,hmc-iterations=500,max-leapfrog=256,max-samples=400";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Folder holding one sub-folder per UCI dataset (e.g. ../shared/data/uci)", Required = true };
        var datasets = new Option<string>("--datasets") { Description = "Comma-separated dataset folder names", DefaultValueFactory = _ => "yacht,bostonHousing" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods to score against the reference", DefaultValueFactory = _ => "map,ensemble,laplace,laplace-all-kron,ivon,sgld,sghmc,csghmc" };
        var reference = new Option<string>("--reference") { Description = $"The HMC reference's options as name=value pairs, comma-separated (default: {DefaultReference}; given pairs replace those)", DefaultValueFactory = _ => "" };
        var splits = new Option<int>("--splits") { Description = "Number of splits", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of the methods (and the reference's MAP start)", DefaultValueFactory = _ => 40 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-2 };
        var schedule = CommonOptions.Schedule();
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 32 };
        var w1Samples = new Option<int>("--w1-samples") { Description = "Draws per test input from each predictive for the Wasserstein-1 distance", DefaultValueFactory = _ => 1000 };
        var reuse = new Option<bool>("--reuse") { Description = "Load the references an earlier run saved under --out/reference instead of sampling them again" };
        var output = new Option<string>("--out") { Description = "Output folder: results.json, results.md, one plot per dataset, reference/ (the saved references)", DefaultValueFactory = _ => "occam-out/bench-reference" };
        var command = new Command("reference", "Score methods against a full-batch HMC reference posterior on UCI splits: the reference's R̂, ESS and test LL, each method's Wasserstein-1 distance to it and test LL")
        {
            dataDir, datasets, methods, reference, splits, epochs, lr, schedule, batch, w1Samples, reuse, output,
        };
        foreach (var option in env.MethodFlags.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            using var folder = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            var names = parsed.GetValue(datasets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0 || names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new ArgumentException("--datasets must list each dataset once");
            if (parsed.GetValue(splits) < 1) throw new ArgumentException("--splits must be at least 1");
            if (parsed.GetValue(w1Samples) < 2) throw new ArgumentException("--w1-samples must be at least 2");
            var hmcEntry = env.Registry.Find("hmc") ?? throw new ArgumentException("the reference needs the hmc method in the registry");
            var pairs = ReferencePairs(DefaultReference);
            foreach (var (k, v) in ReferencePairs(parsed.GetValue(reference)!)) pairs[k] = v;
            Core.Options.IMethodOptions hmcOptions;
            try
            {
                hmcOptions = hmcEntry.Bind(pairs);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--reference: {e.Message.Split(" (Parameter")[0]}");
            }
            var uci = new UciProtocolOptions(parsed.GetValue(splits), parsed.GetValue(epochs), parsed.GetValue(batch), parsed.GetValue(lr),
                Seed: parsed.GetValue(env.Common.Seed), Schedule: CommonOptions.ParseSchedule(parsed.GetValue(schedule)), Device: device);
            var runs = MethodRuns.Parse(parsed.GetValue(methods)!, env.Registry, env.MethodFlags, env.MethodFlags.Given(parsed), new Inference.ModelSetup());
            var options = new ReferenceProtocolOptions(uci, parsed.GetValue(w1Samples), Path.Combine(folder.Path, "reference"),
                parsed.GetValue(reuse) ? Path.Combine(folder.Target, "reference") : null);
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            var results = new List<DatasetReference>();
            foreach (var name in names)
            {
                var dataset = Path.Combine(parsed.GetValue(dataDir)!, name);
                if (!Directory.Exists(dataset)) throw new DataFormatException(dataset, null, null, "no such dataset folder (check --data-dir and --datasets)");
                using var benchmark = UciBenchmark.Load(dataset);
                var hmc = hmcEntry.Create(new Inference.ModelSetup(), hmcOptions);
                var result = ReferenceProtocol.Run(benchmark, hmc, runs, options, lines, env.Cancellation);
                results.Add(DatasetReference.From(name, result));
                ReferenceReport.Write(env.Console, folder.Path, MethodRuns.Describe(hmc), results);
            }
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json, results.md, plots and reference/");
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> ReferencePairs(string text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[0].Length == 0) throw new ArgumentException($"--reference expects name=value pairs separated by commas (e.g. warm-up=1000,chains=4); got '{part}'");
            pairs[kv[0].TrimStart('-')] = kv[1];
        }
        return pairs;
    }
}

/// <summary>One method's mean ± standard error over splits on one dataset.</summary>
/// <param name="Method">Row label.</param>
/// <param name="Splits">Splits.</param>
/// <param name="TestLlMean">Mean test log-likelihood.</param>
/// <param name="TestLlSe">Its standard error.</param>
/// <param name="RmseMean">Mean RMSE.</param>
/// <param name="W1Mean">Mean Wasserstein-1 distance to the reference.</param>
/// <param name="W1Se">Its standard error.</param>
/// <param name="Seconds">Mean seconds per split.</param>
public sealed record AgreementRow(string Method, int Splits, double TestLlMean, double TestLlSe, double RmseMean, double W1Mean, double W1Se, double Seconds);

/// <summary>A dataset's reference splits, per-split method scores and their summary.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="References">The reference of each split.</param>
/// <param name="Methods">Each method on each split.</param>
/// <param name="Summary">Each method over splits, with the reference first.</param>
public sealed record DatasetReference(string Dataset, IReadOnlyList<ReferenceSplit> References, IReadOnlyList<AgreementSplit> Methods, IReadOnlyList<AgreementRow> Summary)
{
    /// <summary>Summarises a protocol result.</summary>
    public static DatasetReference From(string dataset, ReferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var refs = result.References;
        var summary = new List<AgreementRow>
        {
            new("hmc (reference)", refs.Count, refs.Average(r => r.TestLl), UciProtocol.StandardError(refs.Select(r => r.TestLl).ToList()), refs.Average(r => r.Rmse),
                refs.Average(r => r.W1Floor), UciProtocol.StandardError(refs.Select(r => r.W1Floor).ToList()), refs.Average(r => r.Seconds)),
        };
        foreach (var group in result.Methods.GroupBy(m => m.Method))
        {
            var rows = group.ToList();
            summary.Add(new AgreementRow(group.Key, rows.Count, rows.Average(r => r.TestLl), UciProtocol.StandardError(rows.Select(r => r.TestLl).ToList()),
                rows.Average(r => r.Rmse), rows.Average(r => r.W1), UciProtocol.StandardError(rows.Select(r => r.W1).ToList()), rows.Average(r => r.Seconds)));
        }
        return new DatasetReference(dataset, refs, result.Methods, summary);
    }
}

/// <summary>Prints and writes the reference benchmark: results.json, results.md and a W1-against-test-LL plot per dataset.</summary>
internal static class ReferenceReport
{
    public static void Write(IAnsiConsole console, string directory, string referenceOptions, IReadOnlyList<DatasetReference> datasets)
    {
        Directory.CreateDirectory(directory);
        JsonReport.Write(Path.Combine(directory, "results.json"), new { Reference = referenceOptions, Datasets = datasets });
        var md = new System.Text.StringBuilder("# Agreement with a full-batch HMC reference (UCI)\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Reference: hmc with {referenceOptions}. W1: Wasserstein-1 distance between predictive samples, averaged over test inputs, in the target's units; the reference row's W1 is between two halves of its own chains (the floor).\n");
        foreach (var d in datasets)
        {
            var refTable = new MarkdownTable(["split", "test LL", "RMSE", "max R̂ (log post., predictions)", "max R̂ (θ projection)", "min bulk ESS", "min tail ESS", "acceptance", "divergences", "step size", "leapfrog steps", "W1 chain halves", "seconds"]);
            foreach (var r in d.References)
            {
                var s = r.Diagnostics;
                string Stat(string key, int digits) => s.Sampler.TryGetValue(key, out var v) ? Format.Number(v, digits) : "";
                refTable.AddRow(r.Split.ToString(CultureInfo.InvariantCulture), Format.Number(r.TestLl, 3), Format.Number(r.Rmse, 3), Format.Number(s.MaxFunctionRhat, 3) + (r.Converged ? "" : " (>1.05)"),
                    Format.Number(s.MaxWeightRhat, 2), Format.Number(s.MinBulkEss, 0), Format.Number(s.MinTailEss, 0), Stat("acceptance_rate", 3), Stat("divergences", 0),
                    Stat("step_size", 5), Stat("leapfrog_steps", 0), Format.Number(r.W1Floor, 4), Format.Number(r.Seconds, 0));
            }
            var summary = new MarkdownTable(["method", "splits", "test LL", "RMSE", "W1 to HMC", "seconds per split"]);
            foreach (var row in d.Summary)
                summary.AddRow(row.Method, row.Splits.ToString(CultureInfo.InvariantCulture), Format.MeanSe(row.TestLlMean, row.TestLlSe, 3), Format.Number(row.RmseMean, 3),
                    Format.MeanSe(row.W1Mean, row.W1Se, 4), Format.Number(row.Seconds, 1));
            md.Append(CultureInfo.InvariantCulture, $"\n## {d.Dataset}\n\n### HMC reference per split\n\n{refTable}\n\n### Methods against the reference (mean ± standard error over splits)\n\n{summary}\n\n![W1 against test LL](agreement-{d.Dataset}.png)\n");
            var table = new Table().Title(Markup.Escape($"{d.Dataset}: agreement with the HMC reference"));
            foreach (var h in new[] { "method", "test LL", "RMSE", "W1 to HMC" }) table.AddColumn(h);
            foreach (var row in d.Summary)
                table.AddRow(Markup.Escape(row.Method), Markup.Escape(Format.MeanSe(row.TestLlMean, row.TestLlSe, 3)), Format.Number(row.RmseMean, 3), Markup.Escape(Format.MeanSe(row.W1Mean, row.W1Se, 4)));
            console.Write(table);
            AgreementPlot.Save(Path.Combine(directory, $"agreement-{d.Dataset}.png"),
                d.Summary.Select(r => new AgreementPoint(r.Method, r.TestLlMean, r.W1Mean, r.TestLlSe, r.W1Se)).ToList(),
                $"{d.Dataset}: distance to the HMC reference against test log-likelihood", "test log-likelihood (higher is better)", "W1 to HMC predictive (lower is closer)");
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), md.ToString());
    }
}
