using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Geometry;
using Occam.Inference;
using Occam.Posteriors;
using Occam.Reporting;
using Spectre.Console;
using static TorchSharp.torch;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam geometry</c>: the curvature of a saved model's loss landscape at its weights (the MAP or the
/// posterior mean): top eigenvalues, trace, spectral density and effective dimensionality of the GGN and the
/// Hessian of the summed negative log-likelihood, in the model's standardised units.
/// </summary>
public static class GeometryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var modelDir = new Option<string>("--model") { Description = "Folder written by `occam fit` (its model/ subfolder or the --out folder)", Required = true };
        var data = new Option<string>("--data") { Description = "Data to measure the curvature on (usually the training data): a .csv file read with the model's columns, or a UCI folder", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV: the target column (default: the model's)" };
        var split = new Option<int?>("--split") { Description = "UCI folder: use the training rows of this split (default: all rows)" };
        var rows = new Option<int?>("--rows") { Description = "Use a seeded random subset of this many rows (default: all)" };
        var top = new Option<int>("--top") { Description = "Top eigenvalues k found by Lanczos", DefaultValueFactory = _ => 20 };
        var probes = new Option<int>("--probes") { Description = "Random probes of the spectral density (stochastic Lanczos quadrature)", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "Lanczos steps per spectral-density probe", DefaultValueFactory = _ => 60 };
        var traceSamples = new Option<int>("--trace-samples") { Description = "Rademacher samples of the Hutchinson trace estimate", DefaultValueFactory = _ => 50 };
        var alpha = new Option<double?>("--alpha") { Description = "Prior precision α of the effective dimensionality (default: the model's prior precision)" };
        var curvatures = new Option<string>("--curvature") { Description = "Which curvatures: ggn, hessian or ggn,hessian", DefaultValueFactory = _ => "ggn,hessian" };
        var batch = new Option<int>("--batch-size") { Description = "Examples per curvature-product batch", DefaultValueFactory = _ => 512 };
        var output = new Option<string>("--out") { Description = "Output folder for results.json, results.md and spectral-density.png (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-geometry" };
        var format = ResultsOutput.FormatOption();
        var command = new Command("geometry", "Curvature of a saved model at its weights: top Hessian and GGN eigenvalues, trace, spectral density and effective dimensionality")
        {
            modelDir, data, target, split, rows, top, probes, steps, traceSamples, alpha, curvatures, batch, output, format,
        };
        command.SetAction(parsed =>
        {
            var device = CommonOptions.ParseDevice(parsed.GetValue(env.Common.Device)!);
            long seed = parsed.GetValue(env.Common.Seed);
            var kinds = ParseCurvatures(parsed.GetValue(curvatures)!);
            double? givenAlpha = parsed.GetValue(alpha);
            if (givenAlpha is { } a && !(a > 0 && double.IsFinite(a))) throw new ArgumentException($"--alpha must be a positive, finite prior precision; got {a.ToString(CultureInfo.InvariantCulture)}");
            using var outDir = OutputFolder.Begin(parsed.GetValue(output)!, "--out");
            using var posterior = ModelFolder.Load(parsed.GetValue(modelDir)!, env, device);
            var model = posterior as INetworkPosterior
                ?? throw new ArgumentException($"--model: a {posterior.Method} posterior has no network whose curvature could be measured");
            var frame = (posterior as Posterior)?.Frame;
            using var raw = Load(parsed.GetValue(data)!, frame?.Schema, parsed.GetValue(target), parsed.GetValue(split), parsed.GetValue(rows), seed);
            using var standardised = (frame?.Standardiser ?? Standardiser.Identity).Transform(raw);
            using var onDevice = standardised.To(device);
            using var theta = model.CentreWeights()
                ?? throw new ArgumentException($"--model: this {posterior.Method} posterior holds several weight vectors (members) and no single centre; geometry needs one network");
            var (alphaValue, alphaSource) = givenAlpha is { } given ? (given, "--alpha") : DefaultAlpha(posterior, frame?.Schema);
            var options = new GeometryOptions
            {
                TopK = parsed.GetValue(top), DensityProbes = parsed.GetValue(probes), DensitySteps = parsed.GetValue(steps),
                TraceSamples = parsed.GetValue(traceSamples), BatchSize = parsed.GetValue(batch), Seed = seed,
            };
            var space = WeightSpace.Of(model.Network);
            Validate(options, space.Count);
            var clock = Stopwatch.StartNew();
            var summaries = new List<CurvatureSummary>();
            using (space.At(theta.to_type(space.DType)))
            {
                foreach (var kind in kinds)
                {
                    env.Cancellation.ThrowIfCancellationRequested();
                    var op = kind == "ggn"
                        ? CurvatureOperator.Ggn(model.Network, model.Likelihood, onDevice, options.BatchSize)
                        : CurvatureOperator.Hessian(model.Network, model.Likelihood, onDevice, options.BatchSize);
                    var started = clock.Elapsed.TotalSeconds;
                    var summary = GeometryAnalysis.Summarise(op, alphaValue, options);
                    summaries.Add(summary);
                    env.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                        $"{summary.Curvature}: {summary.Products} products over {onDevice.Count} rows in {clock.Elapsed.TotalSeconds - started:F1} s")));
                }
            }
            var report = new GeometryReport(ModelSchema.Version, Environment.CommandLine, seed, posterior.Method, ModelSchema.Fingerprint(raw), onDevice.Count,
                alphaValue, alphaSource, clock.Elapsed.TotalSeconds, summaries);
            GeometryOutput.Write(env, outDir.Path, report, parsed.GetValue(format));
            env.Cancellation.ThrowIfCancellationRequested();
            outDir.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(outDir.Target)}[/]: results.json, results.md and spectral-density.png");
            return 0;
        });
        return command;
    }

    private static string[] ParseCurvatures(string text)
    {
        var kinds = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.ToLowerInvariant()).Distinct().ToArray();
        if (kinds.Length == 0 || kinds.Any(k => k is not ("ggn" or "hessian")))
            throw new ArgumentException($"--curvature must list ggn and/or hessian (e.g. ggn,hessian); got '{text}'");
        return kinds;
    }

    private static void Validate(GeometryOptions options, long parameters)
    {
        try
        {
            options.Validate(parameters);
        }
        catch (ArgumentException e)
        {
            string flag = e.ParamName switch
            {
                nameof(GeometryOptions.TopK) => "--top",
                nameof(GeometryOptions.DensityProbes) => "--probes",
                nameof(GeometryOptions.DensitySteps) => "--steps",
                nameof(GeometryOptions.TraceSamples) => "--trace-samples",
                nameof(GeometryOptions.BatchSize) => "--batch-size",
                _ => "--top",
            };
            throw new ArgumentException($"{flag}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>α by default: a Laplace posterior's (single) tuned prior precision, else the prior the model was trained with, else 1.</summary>
    private static (double Alpha, string Source) DefaultAlpha(IPosterior posterior, ModelSchema? schema)
    {
        if (posterior is IEvidence evidence && evidence.Evidence.PriorPrecision is [var tuned]) return (tuned, "the posterior's tuned prior precision");
        if (schema?.PriorPrecision is { } trained && trained > 0) return (trained, "the model's prior precision");
        return (1.0, "the default prior precision (the model records none)");
    }

    private static Dataset Load(string path, ModelSchema? schema, string? target, int? split, int? rows, long seed)
    {
        Dataset data;
        if (split is { } s)
        {
            if (!Directory.Exists(path) || !File.Exists(Path.Combine(path, "data.txt"))) throw new ArgumentException($"--split applies to UCI folders; {path} is not one");
            using var uci = UciBenchmark.Load(path);
            if (s < 0 || s >= uci.SplitCount) throw new ArgumentException($"--split must lie in 0..{uci.SplitCount - 1} for {uci.Name}; got {s}");
            var (train, test) = uci.Split(s);
            test.Dispose();
            data = train;
        }
        else data = DataSource.ForModel(path, schema, target, requireTarget: true);
        if (rows is not { } count) return data;
        using (data)
        {
            if (count < 1) throw new ArgumentException($"--rows must be at least 1; got {count}");
            if (count >= data.Count) return data.Subset(Enumerable.Range(0, (int)data.Count).Select(i => (long)i).ToArray(), data.Name);
            var order = Enumerable.Range(0, (int)data.Count).Select(i => (long)i).ToArray();
            new Random(unchecked((int)seed)).Shuffle(order);
            return data.Subset(order[..count], data.Name);
        }
    }
}

/// <summary>What <c>occam geometry</c> writes: the run and one summary per curvature.</summary>
/// <param name="OccamVersion">The Occam version.</param>
/// <param name="Arguments">The command line.</param>
/// <param name="Seed">Seed of the probe vectors.</param>
/// <param name="Method">The model's method.</param>
/// <param name="DataFingerprint">SHA-256 of the data used.</param>
/// <param name="Rows">Rows the curvature sums over.</param>
/// <param name="Alpha">Prior precision α of N_eff.</param>
/// <param name="AlphaSource">Where α came from.</param>
/// <param name="Seconds">Wall time of the curvature work.</param>
/// <param name="Curvatures">One summary per curvature.</param>
public sealed record GeometryReport(string OccamVersion, string Arguments, long Seed, string Method, string DataFingerprint, long Rows, double Alpha,
    string AlphaSource, double Seconds, IReadOnlyList<CurvatureSummary> Curvatures);
