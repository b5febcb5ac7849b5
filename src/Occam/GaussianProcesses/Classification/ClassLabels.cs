using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Classification;

/// <summary>Checks and converts class labels before libtorch sees them.</summary>
internal static class ClassLabels
{
    /// <summary>
    /// Binary labels [N] (or [N, 1]) of any numeric dtype with values in {0, 1} or in {−1, +1}; returns
    /// a float64 [N] tensor of ±1 (0 and −1 mean the negative class) in the caller's scope.
    /// </summary>
    public static Tensor Binary(Tensor? y, long n, string name)
    {
        var values = Vector(y, n, name);
        using var scope = NewDisposeScope();
        var v = values.to_type(ScalarType.Float64);
        bool valid = (v.eq(1.0) | v.eq(0.0) | v.eq(-1.0)).all().item<bool>();
        if (!valid) throw new ArgumentException($"{name} must hold binary labels in {{0, 1}} or {{−1, +1}}; found other values.", name);
        if (v.eq(0.0).any().item<bool>() && v.eq(-1.0).any().item<bool>())
            throw new ArgumentException($"{name} mixes 0 and −1; use either {{0, 1}} or {{−1, +1}}.", name);
        return where(v > 0.5, 1.0, -1.0).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>Class indices [N] of an integer dtype in [0, C); returns a float64 one-hot [C, N] in the caller's scope.</summary>
    public static Tensor OneHot(Tensor? y, long n, int classes, string name)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Multi-class classification needs at least 2 classes; got {classes}.");
        var values = Vector(y, n, name);
        if (values.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException($"{name} must hold integer class indices (int64); got {values.dtype}.", name);
        using var scope = NewDisposeScope();
        var index = values.to_type(ScalarType.Int64);
        long min = index.min().item<long>(), max = index.max().item<long>();
        if (min < 0 || max >= classes) throw new ArgumentException($"{name} must hold class indices in [0, {classes}); found values from {min} to {max}.", name);
        return nn.functional.one_hot(index, classes).to_type(ScalarType.Float64).T.contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor Vector(Tensor? y, long n, string name)
    {
        if (y is null) throw new ArgumentNullException(name);
        if (y.IsInvalid) throw new ObjectDisposedException(name, $"{name} has been disposed.");
        bool vector = y.dim() == 1 || (y.dim() == 2 && y.size(1) == 1);
        if (!vector) throw new ArgumentException($"{name} must have shape [N] or [N, 1]; got [{GpChecks.Shape(y)}].", name);
        if (y.size(0) != n) throw new ArgumentException($"{name} has {y.size(0)} labels but the inputs have {n} rows.", name);
        if (y.dtype is ScalarType.Float32 or ScalarType.Float64 && !GpChecks.AllFinite(y))
            throw new ArgumentException($"{name} contains NaN or infinite values.", name);
        return y.reshape(n);
    }
}
