using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Inputs and targets held as tensors. Regression targets are float32 [N, T]; classification
/// targets are int64 class indices [N]. Inputs are float32 [N, ...] (a feature vector or an image).
/// The dataset owns its tensors and disposes them.
/// </summary>
public sealed class Dataset : IDisposable
{
    private bool _disposed;

    /// <summary>Creates a dataset, validating shapes and dtypes; the tensors are taken over (owned) by the dataset.</summary>
    /// <param name="inputs">float32 [N, ...].</param>
    /// <param name="targets">float32 [N, T] for regression, int64 [N] for classification.</param>
    /// <param name="task">Regression or classification.</param>
    /// <param name="classCount">Number of classes (classification); ignored for regression.</param>
    /// <param name="name">A label used in reports.</param>
    /// <param name="featureNames">Optional input column names.</param>
    /// <param name="targetName">Optional target column name.</param>
    public Dataset(Tensor inputs, Tensor targets, TaskKind task, int classCount = 0, string name = "data",
        IReadOnlyList<string>? featureNames = null, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.dim() < 2) throw new ArgumentException($"Inputs must be [N, features...]; got shape [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (inputs.dtype != ScalarType.Float32) throw new ArgumentException($"Inputs must be float32; got {inputs.dtype}.", nameof(inputs));
        if (targets.shape[0] != inputs.shape[0]) throw new ArgumentException($"Inputs have {inputs.shape[0]} rows but targets have {targets.shape[0]}.", nameof(targets));
        if (task == TaskKind.Regression)
        {
            if (targets.dim() != 2 || targets.dtype != ScalarType.Float32)
                throw new ArgumentException($"Regression targets must be float32 [N, T]; got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));
        }
        else
        {
            if (targets.dim() != 1 || targets.dtype != ScalarType.Int64)
                throw new ArgumentException($"Class labels must be int64 [N]; got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));
            if (classCount < 2) throw new ArgumentException($"A classification dataset needs at least 2 classes; got {classCount}.", nameof(classCount));
        }
        Inputs = inputs.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
        Task = task;
        ClassCount = task == TaskKind.Classification ? classCount : 0;
        Name = name;
        FeatureNames = featureNames;
        TargetName = targetName;
    }

    /// <summary>Inputs, float32 [N, ...].</summary>
    public Tensor Inputs { get; }

    /// <summary>Targets: float32 [N, T] (regression) or int64 [N] (classification).</summary>
    public Tensor Targets { get; }

    /// <summary>Regression or classification.</summary>
    public TaskKind Task { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>A label used in reports.</summary>
    public string Name { get; }

    /// <summary>Input column names, when known.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Target column name, when known.</summary>
    public string? TargetName { get; }

    /// <summary>How the rows were read from a table (columns, encodings, class labels), when they were.</summary>
    public Tables.TableSchema? Table { get; init; }

    /// <summary>The 1-based line of each row in its file, when it came from one.</summary>
    public IReadOnlyList<int>? Lines { get; init; }

    /// <summary>Classification: the label behind each class index, when known (from a table's schema).</summary>
    public IReadOnlyList<string>? ClassLabels => Table?.ClassLabels;

    /// <summary>Number of examples.</summary>
    public long Count => Inputs.shape[0];

    /// <summary>Shape of one input (without the leading N).</summary>
    public long[] InputShape => Inputs.shape.Skip(1).ToArray();

    /// <summary>Number of regression targets per example (1 for classification labels).</summary>
    public int TargetDimension => Task == TaskKind.Regression ? (int)Targets.shape[1] : 1;

    /// <summary>A new dataset with the rows at <paramref name="indices"/> (copies).</summary>
    public Dataset Subset(long[] indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
            if (i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Row index {i} is outside 0..{Count - 1}.");
        using var scope = NewDisposeScope();
        using var index = tensor(indices, ScalarType.Int64);
        return new Dataset(Inputs.index_select(0, index), Targets.index_select(0, index), Task, ClassCount,
            name ?? Name, FeatureNames, TargetName) { Table = Table, Lines = Lines is null ? null : indices.Select(i => Lines[(int)i]).ToArray() };
    }

    /// <summary>
    /// A seeded random split into a training and a test set (copies; the caller disposes both): a
    /// fraction <paramref name="testFraction"/> of the rows, rounded, goes to the test set.
    /// </summary>
    /// <exception cref="ArgumentException">A fraction outside (0, 1), or one that leaves either part empty.</exception>
    public (Dataset Train, Dataset Test) Split(double testFraction, long seed = 0)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentException($"The test fraction must lie in (0, 1); got {testFraction}.", nameof(testFraction));
        int testCount = (int)Math.Round(Count * testFraction);
        if (testCount < 1 || testCount >= Count)
            throw new ArgumentException($"A test fraction of {testFraction} leaves no training or no test rows out of {Count}.", nameof(testFraction));
        var order = Enumerable.Range(0, (int)Count).Select(i => (long)i).ToArray();
        new Random(unchecked((int)seed)).Shuffle(order);
        return (Subset(order[testCount..], Name + "-train"), Subset(order[..testCount], Name + "-test"));
    }

    /// <summary>A new dataset whose tensors live on <paramref name="device"/>.</summary>
    public Dataset To(Device device) =>
        new(Inputs.to(device), Targets.to(device), Task, ClassCount, Name, FeatureNames, TargetName) { Table = Table, Lines = Lines };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Inputs.Dispose();
        Targets.Dispose();
    }
}
