using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>Shape, dtype and value checks run in C# before libtorch sees a GP's tensors.</summary>
internal static class GpChecks
{
    /// <summary>Requires a finite float64 matrix [N, D] with D ≥ 1 (and N ≥ <paramref name="minRows"/>).</summary>
    public static void Inputs(Tensor? x, string name, long minRows = 0)
    {
        if (x is null) throw new ArgumentNullException(name);
        if (x.IsInvalid) throw new ObjectDisposedException(name, $"{name} has been disposed.");
        if (x.dtype != ScalarType.Float64)
            throw new ArgumentException($"{name} must be float64 (GP linear algebra runs in double precision); got {x.dtype}. Convert it with .to_type(ScalarType.Float64).", name);
        if (x.dim() != 2) throw new ArgumentException($"{name} must be a matrix [N, D]; got shape [{Shape(x)}].", name);
        if (x.size(1) < 1) throw new ArgumentException($"{name} must have at least one column; got shape [{Shape(x)}].", name);
        if (x.size(0) < minRows) throw new ArgumentException($"{name} must have at least {minRows} row(s); got {x.size(0)}.", name);
        if (x.device_type != DeviceType.CPU && x.device_type != DeviceType.CUDA)
            throw new ArgumentException($"{name} is on an unsupported device {x.device}.", name);
        if (x.numel() > 0 && !AllFinite(x)) throw new ArgumentException($"{name} contains NaN or infinite values.", name);
    }

    /// <summary>Requires two input matrices with the same number of columns.</summary>
    public static void InputPair(Tensor x1, Tensor x2)
    {
        Inputs(x1, "x1");
        Inputs(x2, "x2");
        if (x1.size(1) != x2.size(1))
            throw new ArgumentException($"x1 and x2 must have the same number of columns; got {x1.size(1)} and {x2.size(1)}.", nameof(x2));
        if (x1.device_type != x2.device_type || x1.device_index != x2.device_index) throw new ArgumentException($"x1 is on {x1.device} but x2 is on {x2.device}.", nameof(x2));
    }

    /// <summary>Requires a finite float64 regression target of N values, shaped [N] or [N, 1]; returns a detached [N] copy.</summary>
    public static Tensor Targets(Tensor? y, string name, long n)
    {
        if (y is null) throw new ArgumentNullException(name);
        if (y.IsInvalid) throw new ObjectDisposedException(name, $"{name} has been disposed.");
        if (y.dtype != ScalarType.Float64) throw new ArgumentException($"{name} must be float64; got {y.dtype}.", name);
        bool vector = y.dim() == 1 || (y.dim() == 2 && y.size(1) == 1);
        if (!vector) throw new ArgumentException($"{name} must have shape [N] or [N, 1] (one target); got [{Shape(y)}].", name);
        if (y.size(0) != n) throw new ArgumentException($"{name} has {y.size(0)} rows but the inputs have {n}.", name);
        if (!AllFinite(y)) throw new ArgumentException($"{name} contains NaN or infinite values.", name);
        using var scope = NewDisposeScope();
        return y.detach().reshape(n).clone().MoveToOuterDisposeScope();
    }

    /// <summary>Requires a finite, positive option value.</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite; got {value}.");
    }

    /// <summary>Requires that the kernel's hyperparameters live on the device of <paramref name="x"/>.</summary>
    public static void SameDevice(Kernels.Kernel kernel, Tensor x, string name)
    {
        foreach (var h in kernel.Hyperparameters)
            if (h.Raw.device_type != x.device_type || h.Raw.device_index != x.device_index)
                throw new ArgumentException($"{name} is on {x.device} but the kernel hyperparameter {h.Name} is on {h.Raw.device}.", name);
    }

    /// <summary>Whether every entry is finite: one summing pass, and an exact check only when the sum is not finite.</summary>
    public static bool AllFinite(Tensor t)
    {
        using var scope = NewDisposeScope();
        var detached = t.detach();
        return double.IsFinite(detached.sum(ScalarType.Float64).item<double>()) || detached.isfinite().all().item<bool>();
    }

    public static string Shape(Tensor t) => string.Join(", ", t.shape);
}
