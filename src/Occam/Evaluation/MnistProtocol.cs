using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// The MNIST protocol: fit LeNet-5 (categorical likelihood, Gaussian prior, Adam) with a method,
/// then score the Bayesian model average on the test images (accuracy, NLL, ECE, Brier), on the
/// test images rotated by each angle (rotated-MNIST dataset shift, Ovadia et al. 2019), and on
/// telling out-of-distribution images (notMNIST, Lakshminarayanan et al. 2017) from the test images
/// by predictive entropy and by mutual information (AUROC).
/// </summary>
/// <example>
/// <code>
/// using var train = IdxReader.LoadMnist("../shared/data/mnist", train: true, limit: 10_000);
/// using var test = IdxReader.LoadMnist("../shared/data/mnist", train: false, limit: 2_000);
/// using var ood = MnistProtocol.LoadNotMnist("../shared/data/notmnist", limit: 2_000);
/// var rows = MnistProtocol.Run(train, test, ood, new MethodRun(new McDropoutMethod(new ModelSetup())), new MnistProtocolOptions { Epochs = 3 });
/// </code>
/// </example>
public static class MnistProtocol
{
    /// <summary>Fits the run's method on <paramref name="train"/> and scores each prediction variant on <paramref name="test"/>, its rotations and <paramref name="ood"/>: one row per variant.</summary>
    /// <param name="train">Labelled training images [N, C, 28, 28]; not disposed.</param>
    /// <param name="test">Labelled test images of the same shape; not disposed.</param>
    /// <param name="ood">Out-of-distribution images of the same shape (labels unused), or null to skip the OOD scores; not disposed.</param>
    /// <param name="run">The method (any <see cref="IPosteriorMethod"/>; the protocol imposes LeNet-5 through <see cref="IPosteriorMethod.With"/>) and its prediction variants.</param>
    /// <param name="options">Training and evaluation settings.</param>
    /// <param name="progress">Receives one line per epoch, per fit and per rotation angle (optional).</param>
    /// <param name="cancellation">Stops the run between training steps or predictions.</param>
    /// <returns>One row per prediction variant, each with one rotation point per angle.</returns>
    /// <exception cref="ArgumentException">Bad options, or data that are not labelled 28×28 images of one shape.</exception>
    public static IReadOnlyList<MnistRow> Run(Dataset train, Dataset test, Dataset? ood, MethodRun run, MnistProtocolOptions options,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckImages(train, nameof(train), train.InputShape);
        CheckImages(test, nameof(test), train.InputShape);
        if (ood is not null) CheckImages(ood, nameof(ood), train.InputShape);
        var method = run.Method.With(Setup(options));
        var name = method.Name;

        using var scope = NewDisposeScope();
        var context = new FitContext(options.Seed, options.Device, progress is null ? null : new EpochLines(name, progress), cancellation);
        var clock = Stopwatch.StartNew();
        using var posterior = method.Fit(train, context);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report($"{name}: fitted on {train.Count} images in {fitSeconds:F1} s");
        return run.Predictions.Select(v => Score(posterior, v, train, test, ood, options, fitSeconds, progress, cancellation)).ToList();
    }

    private static MnistRow Score(IPosterior posterior, PredictionVariant variant, Dataset train, Dataset test, Dataset? ood, MnistProtocolOptions options,
        double fitSeconds, IProgress<string>? progress, CancellationToken cancellation)
    {
        var name = variant.Label;
        var predict = variant.Options with { BatchSize = options.PredictBatchSize };
        cancellation.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        using var predictive = posterior.Predict(test.Inputs, predict);
        double predictSeconds = clock.Elapsed.TotalSeconds;
        var scores = ClassificationMetrics.Compute(predictive, test.Targets);
        progress?.Report(Invariant($"{name}: test accuracy {scores.Accuracy:F4}, NLL {scores.Nll:F4}, ECE {scores.Ece:F4} ({predictSeconds:F1} s to predict)"));

        double? entropyAuroc = null, informationAuroc = null;
        if (ood is not null)
        {
            cancellation.ThrowIfCancellationRequested();
            using var oodPredictive = posterior.Predict(ood.Inputs, predict);
            entropyAuroc = OodMetrics.EntropyAuroc(predictive, oodPredictive);
            informationAuroc = OodMetrics.MutualInformationAuroc(predictive, oodPredictive);
            progress?.Report(Invariant($"{name}: OOD AUROC entropy {entropyAuroc:F4}, mutual information {informationAuroc:F4}"));
        }

        var curve = new List<RotationPoint>(options.Angles.Count);
        foreach (var angle in options.Angles)
        {
            cancellation.ThrowIfCancellationRequested();
            var point = angle == 0 ? new RotationPoint(angle, scores.Accuracy, scores.Nll, scores.Ece) : Rotated(posterior, test, angle, predict);
            curve.Add(point);
            progress?.Report(Invariant($"{name}: rotated {angle}°: accuracy {point.Accuracy:F4}, NLL {point.Nll:F4}, ECE {point.Ece:F4}"));
        }

        return new MnistRow(name, (int)train.Count, (int)test.Count, ood is null ? null : (int)ood.Count,
            scores.Accuracy, scores.Nll, scores.Ece, scores.Brier, entropyAuroc, informationAuroc, fitSeconds, predictSeconds, curve);
    }

    /// <summary>The model of the protocol: LeNet-5, categorical likelihood, Gaussian prior of precision λ (weight decay λ/N), Adam.</summary>
    /// <param name="options">Training settings.</param>
    /// <returns>A setup any network-based method can start from.</returns>
    public static ModelSetup Setup(MnistProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelSetup
        {
            Network = new LeNetSpec(options.Dropout),
            Likelihood = new CategoricalLikelihood(),
            Prior = new GaussianPrior(options.PriorPrecision),
            Training = new TrainerOptions
            {
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                LearningRate = options.LearningRate,
                Schedule = options.Schedule,
                Optimizer = OptimizerKind.Adam,
            },
        };
    }

    /// <summary>Loads the notMNIST test sample (t10k files in MNIST's IDX format) as the out-of-distribution set.</summary>
    /// <param name="directory">Folder with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> images (all when null).</param>
    /// <returns>A dataset named "notmnist", owned by the caller.</returns>
    /// <exception cref="DataFormatException">A file is missing or malformed.</exception>
    public static Dataset LoadNotMnist(string directory, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return IdxReader.LoadImages(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"),
            Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), limit, "notmnist");
    }

    private static RotationPoint Rotated(IPosterior posterior, Dataset test, double angle, PredictOptions predict)
    {
        using var rotated = Rotations.Rotate(test.Inputs, angle);
        using var predictive = posterior.Predict(rotated, predict);
        var scores = ClassificationMetrics.Compute(predictive, test.Targets);
        return new RotationPoint(angle, scores.Accuracy, scores.Nll, scores.Ece);
    }

    private static void CheckImages(Dataset data, string parameter, long[] expectedShape)
    {
        if (data.Task != TaskKind.Classification)
            throw new ArgumentException($"The {parameter} set must hold labelled images; got {data.Task.ToString().ToLowerInvariant()} data.", parameter);
        if (data.Count < 1) throw new ArgumentException($"The {parameter} set is empty.", parameter);
        var shape = data.InputShape;
        if (shape.Length != 3 || shape[1] != 28 || shape[2] != 28 || !shape.SequenceEqual(expectedShape))
            throw new ArgumentException($"The {parameter} images must be [N, {expectedShape[0]}, 28, 28] like the training images; got [N, {string.Join(", ", shape)}].", parameter);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Turns the runs' end-of-epoch reports into progress lines, synchronously (so lines keep their order).</summary>
    private sealed class EpochLines(string method, IProgress<string> lines) : IProgress<RunReport>
    {
        public void Report(RunReport value)
        {
            if (value.Loss is not { } loss) return;
            var stage = value.Stage == method ? method : $"{method} {value.Stage}";
            lines.Report(Invariant($"{stage} epoch {value.Epoch}/{value.Epochs}: loss {loss:F4}"));
        }
    }
}
