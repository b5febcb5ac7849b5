using System.CommandLine;
using Occam.Data;
using Occam.Inference;
using Occam.Models;
using Occam.ModelSelection;
using Occam.Posteriors;
using Occam.Priors;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam select</c>: fit each candidate architecture with one method on the same rows and pick by the log evidence
/// (data fit + Occam factor), reporting the validation NLL and test log-likelihood beside it.
/// </summary>
public static class SelectCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var data = new Option<string>("--data") { Description = "A .csv file, a UCI benchmark folder (data.txt + splits) or a folder of MNIST-style IDX files", Required = true };
        var method = new Option<string>("--method") { Description = "A method with a Gaussian posterior: laplace (and its presets, e.g. laplace-all-kron), ivon, vi, swag or swag-diag; NAME@mean scores at the mean", Required = true };
        var candidates = new Option<string>("--candidates") { Description = "Architectures to compare, separated by ';': hidden widths of the MLP (e.g. \"linear;10;50;50,50\"; 'linear' has no hidden layer)", Required = true };
        var split = new Option<int>("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };
        var splits = new Option<int?>("--splits") { Description = "UCI: run the first N fixed splits and summarise over them (instead of --split)" };
        var testFraction = new Option<double>("--test-fraction") { Description = "CSV: fraction of rows held out for testing", DefaultValueFactory = _ => 0.1 };
        var validationFraction = new Option<double>("--holdout-fraction") { Description = "Fraction of the training rows held out for the validation NLL (the rest are fitted)", DefaultValueFactory = _ => 0.1 };
        var limit = new Option<int?>("--limit") { Description = "IDX: use at most this many training images" };
        var output = new Option<string>("--out") { Description = "Output folder for results.json, results.md and selection.png (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-select" };
        var format = ResultsOutput.FormatOption();
        var table = new TableFlags();
        var model = new ModelOptions();
        var command = new Command("select", "Model selection by evidence: fit each candidate architecture, split its log evidence into data fit and Occam factor, and compare with validation and test log-likelihood")
        {
            data, method, candidates, split, splits, testFraction, validationFraction, limit, output, format,
        };
        foreach (var o in table.All.Concat(model.AllButArchitecture).Concat(env.MethodFlags.All)) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            long seed = parsed.GetValue(env.Common.Seed);
            var list = ParseCandidates(parsed.GetValue(candidates)!, parsed.GetValue(model.Activation));
            var selection = env.Registry.Parse(parsed.GetValue(method)!);
            var methodOptions = env.MethodFlags.Bind([selection.Entry], env.MethodFlags.Given(parsed))[0];
            var options = new SelectionOptions(parsed.GetValue(validationFraction), seed, device, selection.AtMean);
            if (!(options.ValidationFraction > 0 && options.ValidationFraction < 1))
                throw new ArgumentException($"--holdout-fraction must lie in (0, 1); got {options.ValidationFraction}");
            var path = parsed.GetValue(data)!;
            var splitIndices = SplitIndices(path, parsed, split, splits, testFraction);
            using var outDir = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            var results = new List<CandidateResult>();
            var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
            string dataName = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
            foreach (int s in splitIndices)
            {
                var (train, test) = Open(path, parsed, table, split, testFraction, limit, seed, s, splitIndices.Length > 1);
                using (train)
                using (test)
                {
                    var setup = model.Setup(parsed, train.Task, list[0].Network, train.InputShape);
                    CheckPrior(setup);
                    var fitter = selection.Entry.Create(setup, methodOptions);
                    if (!ModelEvidence.Supports(fitter))
                        throw new ArgumentException($"--method: {selection.Label} has no Gaussian posterior to take the evidence of; use laplace (or a preset such as laplace-all-kron), ivon, vi, swag or swag-diag");
                    if (s == splitIndices[0])
                        env.Console.MarkupLine(Markup.Escape($"selecting among {list.Count} candidates with {selection.Label} on {train.Name} ({train.Count} training rows, {test.Count} test rows, {splitIndices.Length} split(s))"));
                    results.AddRange(SelectionProtocol.Run(fitter, list, train, test, s, options, lines, env.Cancellation));
                }
            }
            var summary = SelectionSummary.From(results);
            var report = new SelectionReport(ModelSchema.Version, Environment.CommandLine, seed, selection.Label, dataName, options.ValidationFraction, summary, results);
            SelectionOutput.Write(env, outDir.Path, report, parsed.GetValue(format));
            env.Cancellation.ThrowIfCancellationRequested();
            outDir.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir.Target)}[/]: results.json, results.md and selection.png");
            return 0;
        });
        return command;
    }

    /// <summary>"linear;10;50,50" → candidates; every entry is 'linear' or positive widths separated by commas.</summary>
    internal static IReadOnlyList<SelectionCandidate> ParseCandidates(string text, Activation activation)
    {
        var entries = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
            throw new ArgumentException("--candidates: the list is empty; give architectures separated by ';', e.g. \"linear;10;50;50,50\"");
        var list = new List<SelectionCandidate>();
        foreach (var entry in entries)
        {
            int[] widths;
            if (entry.Equals("linear", StringComparison.OrdinalIgnoreCase)) widths = [];
            else
            {
                var parts = entry.Split(',', StringSplitOptions.TrimEntries);
                widths = new int[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                    if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                        throw new ArgumentException($"--candidates: '{entry}' is neither 'linear' nor positive hidden widths separated by commas (e.g. 50 or 50,50)");
            }
            string label = widths.Length == 0 ? "linear" : string.Join(",", widths);
            if (list.Any(c => c.Label == label)) throw new ArgumentException($"--candidates lists {label} more than once");
            list.Add(new SelectionCandidate(label, new MlpSpec(widths, activation)));
        }
        return list;
    }

    private static void CheckPrior(ModelSetup setup)
    {
        if (setup.Prior is not GaussianPrior gaussian) throw new ArgumentException("--prior: model selection by evidence needs a Gaussian prior (--prior gaussian)");
        if (!(gaussian.Precision > 0))
            throw new ArgumentException($"--prior-precision must be positive: the Occam factor needs a proper prior; got {gaussian.Precision.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private static int[] SplitIndices(string path, ParseResult parsed, Option<int> split, Option<int?> splits, Option<double> testFraction)
    {
        if (parsed.GetValue(splits) is not { } count)
        {
            if (!Directory.Exists(path) && !(parsed.GetValue(testFraction) > 0))
                throw new ArgumentException($"--test-fraction must be positive for select (the test log-likelihood needs held-out rows); got {parsed.GetValue(testFraction)}");
            return [Directory.Exists(path) ? parsed.GetValue(split) : 0];
        }
        if (!Directory.Exists(path) || !File.Exists(Path.Combine(path, "data.txt"))) throw new ArgumentException($"--splits applies to UCI benchmark folders; {path} is not one");
        if (parsed.GetResult(split) is { Implicit: false }) throw new ArgumentException("--split and --splits cannot be given together");
        using var uci = UciBenchmark.Load(path);
        if (count < 1 || count > uci.SplitCount) throw new ArgumentException($"--splits must lie in 1..{uci.SplitCount} for {uci.Name}; got {count}");
        return Enumerable.Range(0, count).ToArray();
    }

    private static (Dataset Train, Dataset Test) Open(string path, ParseResult parsed, TableFlags table, Option<int> split, Option<double> testFraction,
        Option<int?> limit, long seed, int splitIndex, bool several)
    {
        if (several)
        {
            using var uci = UciBenchmark.Load(path);
            return uci.Split(splitIndex);
        }
        var (train, test) = DataSource.ForFit(path, parsed, table, split, testFraction, limit, seed);
        if (test is null)
        {
            train.Dispose();
            throw new ArgumentException($"--data: {path} gives no test rows for the test log-likelihood");
        }
        return (train, test);
    }
}
