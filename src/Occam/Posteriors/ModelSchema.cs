using System.Security.Cryptography;
using System.Text.Json;
using Occam.Data;
using Occam.Data.Tables;
using Occam.Inference;
using Occam.Posteriors.Storage;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// What a saved model records about how it was made, so later data is read the same way and a result
/// can be traced: the input names and, for a CSV table, the full table schema (columns, encodings,
/// class labels as written); the target; the method, its options and the model; the Occam version;
/// and a fingerprint of the training data.
/// </summary>
public sealed record ModelSchema
{
    /// <summary>The Occam version that fitted the model.</summary>
    public string OccamVersion { get; init; } = Version;

    /// <summary>The training data's name.</summary>
    public string? Dataset { get; init; }

    /// <summary>Training rows.</summary>
    public long Rows { get; init; }

    /// <summary>The model's input names after encoding, when known.</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>The target's name, when known.</summary>
    public string? Target { get; init; }

    /// <summary>Classification: the label behind each class index, when known.</summary>
    public IReadOnlyList<string>? ClassLabels { get; init; }

    /// <summary>How the CSV table's columns became inputs, when the data came from one.</summary>
    public TableSchema? Table { get; init; }

    /// <summary>SHA-256 (hex) of the training inputs and targets as fitted (before standardisation).</summary>
    public string DataFingerprint { get; init; } = "";

    /// <summary>The method's name.</summary>
    public string Method { get; init; } = "";

    /// <summary>The method's options (JSON), when it has any.</summary>
    public JsonElement? Options { get; init; }

    /// <summary>The model: architecture, prior and training, in words.</summary>
    public string? Model { get; init; }

    /// <summary>The Gaussian prior's precision λ the model was trained with, when its prior is Gaussian (null in models saved before it was recorded).</summary>
    public double? PriorPrecision { get; init; }

    /// <summary>This assembly's version.</summary>
    public static string Version { get; } = typeof(ModelSchema).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The schema of a model fitted by <paramref name="method"/> on <paramref name="train"/>.</summary>
    public static ModelSchema Describe(Dataset train, IPosteriorMethod method)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(method);
        return new ModelSchema
        {
            Dataset = train.Name,
            Rows = train.Count,
            InputNames = train.FeatureNames,
            Target = train.TargetName,
            ClassLabels = train.ClassLabels,
            Table = train.Table,
            DataFingerprint = Fingerprint(train),
            Method = method.Name,
            Options = method.Options is { } o ? JsonSerializer.SerializeToElement(o, o.GetType(), PosteriorManifest.Json) : null,
            PriorPrecision = (method.Setup.Prior as Priors.GaussianPrior)?.Precision,
            Model = $"{method.Setup.Network.Describe()}; prior {method.Setup.Prior.Name}; {method.Setup.Training.Epochs} epochs, batch {method.Setup.Training.BatchSize}, "
                + FormattableString.Invariant($"{method.Setup.Training.Optimizer} at {method.Setup.Training.LearningRate:G4}, {method.Setup.Training.Schedule.Name} schedule"),
        };
    }

    /// <summary>SHA-256 (hex) of a dataset's inputs and targets, in memory order.</summary>
    public static string Fingerprint(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var inputs = data.Inputs.detach().contiguous().cpu();
        using var targets = data.Targets.detach().contiguous().cpu();
        hash.AppendData(inputs.bytes);
        hash.AppendData(targets.bytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
